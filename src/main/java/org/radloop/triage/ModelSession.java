package org.radloop.triage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded ONNX model version. An {@link OrtSession} is safe to run from many threads at once, so
 * each model version is loaded once and shared; every run has a time limit after which ONNX Runtime
 * is told to stop ({@code RunOptions.setTerminate}) and the caller gets a {@link TimeoutException},
 * so a stuck model never holds up triage.
 */
public final class ModelSession implements AutoCloseable {

    /** Runs inferences so that a caller can stop waiting; daemon threads, so they never keep the JVM up. */
    private static final ExecutorService RUNNERS = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "radloop-model-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private final OrtSession session;
    private final Duration timeLimit;
    /**
     * Runs still inside ONNX Runtime. Closing a session under a running inference crashes the JVM
     * (native code), and a timed-out run may still be unwinding when its model is replaced or taken
     * out of service, so the session is only really closed when the last run has left it.
     */
    private final Object lifecycle = new Object();
    private int active;
    private boolean closeRequested;
    private boolean closed;

    private ModelSession(OrtSession session, Duration timeLimit) {
        this.session = session;
        this.timeLimit = timeLimit;
    }

    /** The session was closed between being handed out and being run: the model was replaced or taken out. */
    public static final class Closed extends IllegalStateException {
        Closed() {
            super("the model session was closed (model replaced or unavailable)");
        }
    }

    /** The one ONNX Runtime environment of the process (ONNX Runtime allows only one). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    public static ModelSession load(Path onnx, int intraOpThreads, Duration timeLimit) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new ModelSession(environment().createSession(onnx.toString(), options), timeLimit);
        }
    }

    public Set<String> inputNames() throws OrtException {
        return session.getInputNames();
    }

    public Set<String> outputNames() throws OrtException {
        return session.getOutputNames();
    }

    /**
     * Runs the model on one float tensor and returns the named output as rows (one per batch item).
     *
     * @throws TimeoutException when the run takes longer than the time limit (it is then terminated)
     */
    public float[][] run(String inputName, float[] data, long[] shape, String outputName)
            throws OrtException, TimeoutException, InterruptedException {
        synchronized (lifecycle) {
            if (closeRequested) throw new Closed();
            active++;
        }
        OrtSession.RunOptions options;
        try {
            options = new OrtSession.RunOptions();
        } catch (OrtException | RuntimeException e) {
            leave();
            throw e;
        }
        // The task closes its own RunOptions when it ends; a timed-out caller may only ask it to
        // terminate while it is still open, hence the shared flag under one lock.
        boolean[] finished = {false};
        Future<float[][]> result = RUNNERS.submit(() -> {
            try (OnnxTensor tensor = OnnxTensor.createTensor(environment(), FloatBuffer.wrap(data), shape);
                 OrtSession.Result out = session.run(Map.of(inputName, tensor), Set.of(outputName), options)) {
                OnnxValue value = out.get(outputName)
                        .orElseThrow(() -> new IllegalStateException("the model has no output '" + outputName + "'"));
                return rows(value.getValue(), shape[0]);
            } finally {
                synchronized (finished) {
                    finished[0] = true;
                    options.close();
                }
                leave();
            }
        });
        try {
            return result.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (finished) {
                if (!finished[0]) options.setTerminate(true);
            }
            throw new TimeoutException("inference took longer than " + timeLimit.toMillis() + " ms and was stopped");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OrtException oe) throw oe;
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    /** Outputs come as float[batch][labels], or float[batch] for a single score per item. */
    private static float[][] rows(Object value, long batch) {
        if (value instanceof float[][] m) return m;
        if (value instanceof float[] v) {
            if (v.length == batch) {
                float[][] m = new float[v.length][];
                for (int i = 0; i < v.length; i++) m[i] = new float[] {v[i]};
                return m;
            }
            return new float[][] {v};
        }
        if (value instanceof float[][][][] t) {
            float[][] m = new float[t.length][];
            for (int i = 0; i < t.length; i++) m[i] = flatten(t[i]);
            return m;
        }
        throw new IllegalStateException("output of type " + value.getClass().getSimpleName()
                + " is not a float [batch, labels] tensor");
    }

    private static float[] flatten(float[][][] t) {
        int n = 0;
        for (float[][] a : t) for (float[] b : a) n += b.length;
        float[] out = new float[n];
        int i = 0;
        for (float[][] a : t) for (float[] b : a) for (float v : b) out[i++] = v;
        return out;
    }

    private void leave() {
        synchronized (lifecycle) {
            active--;
            if (closeRequested && active == 0) closeNow();
        }
    }

    /** Closes now when idle, otherwise as soon as the last running inference has returned. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closeRequested = true;
            if (active == 0) closeNow();
        }
    }

    private void closeNow() {
        if (closed) return;
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure here leaves nothing the caller can act on.
        }
    }
}
