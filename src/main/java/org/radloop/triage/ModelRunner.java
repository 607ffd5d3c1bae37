package org.radloop.triage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one model on one study's DICOM files, from the model's YAML alone: choose the series, sample
 * its slices, read the pixels (PixelMed), preprocess, run ONNX Runtime, apply the activation,
 * combine the slices into a study probability, and compare with each label's threshold.
 *
 * <p>Never throws and never waits longer than the model's time limit: a study the model cannot
 * look at comes back with a skipped reason, and a model that fails or times out is marked
 * unavailable in the registry, so triage goes on with the rules.
 */
public final class ModelRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);
    /** Slices per ONNX Runtime call: bounds the tensor's memory for long series. */
    private static final int BATCH = 64;

    private final ModelRegistry registry;

    public ModelRunner(ModelRegistry registry) {
        this.registry = registry;
    }

    public ModelResult run(ModelSpec spec, List<Path> sliceFiles) {
        long t0 = System.nanoTime();
        var unavailable = registry.unavailableReason(spec);
        if (unavailable.isPresent()) {
            return ModelResult.skipped(spec, null, "model unavailable: " + unavailable.get(), false, timings(t0, 0, 0, 0));
        }
        List<DicomSlices.Header> series;
        try {
            series = chooseSeries(spec, sliceFiles);
        } catch (RuntimeException e) {
            return skip(spec, null, "series could not be chosen: " + e.getMessage(), t0);
        }
        if (series.isEmpty()) return skip(spec, null, "no series matches the model's selectors", t0);
        String seriesUid = series.get(0).seriesUid();

        long tRead = System.nanoTime();
        List<DicomSlices.Slice> slices = new ArrayList<>();
        boolean rescale = spec.preprocessing() == null || spec.preprocessing().rescaleOrDefault();
        try {
            for (DicomSlices.Header h : sample(spec, series)) slices.addAll(DicomSlices.read(h, rescale));
        } catch (DicomSlices.UndecodablePixels e) {
            return skip(spec, seriesUid, e.getMessage(), t0);
        } catch (IOException e) {
            return skip(spec, seriesUid, "a slice could not be read: " + e.getMessage(), t0);
        }
        long readNs = System.nanoTime() - tRead;

        long tPre = System.nanoTime();
        float[] tensor;
        long[] shape;
        int n = slices.size();
        try {
            if (spec.input().flat()) {
                List<String> extractors = spec.preprocessing().features();
                int f = FeatureExtractors.size(extractors);
                tensor = new float[n * f];
                for (int i = 0; i < n; i++) {
                    DicomSlices.Slice s = slices.get(i);
                    ModelSpec.Size size = SlicePreprocessor.targetSize(spec, s.rows(), s.columns());
                    float[][] ch = SlicePreprocessor.channels(spec, s.values(), s.rows(), s.columns());
                    System.arraycopy(FeatureExtractors.extract(extractors, ch[0], size.height(), size.width()), 0, tensor, i * f, f);
                }
                shape = new long[] {n, f};
            } else {
                ModelSpec.Size size = spec.input().size();
                int plane = size.height() * size.width();
                int channels = Math.max(1, spec.preprocessing() == null ? 1 : spec.preprocessing().windows().size());
                tensor = new float[n * channels * plane];
                for (int i = 0; i < n; i++) {
                    DicomSlices.Slice s = slices.get(i);
                    float[][] ch = SlicePreprocessor.channels(spec, s.values(), s.rows(), s.columns());
                    for (int c = 0; c < channels; c++) System.arraycopy(ch[c], 0, tensor, (i * channels + c) * plane, plane);
                }
                shape = new long[] {n, channels, size.height(), size.width()};
            }
        } catch (RuntimeException e) {
            return skip(spec, seriesUid, "preprocessing failed: " + e.getMessage(), t0);
        }
        long preNs = System.nanoTime() - tPre;

        long tInf = System.nanoTime();
        float[][] probabilities;
        try {
            ModelSession session = registry.session(spec).orElse(null);
            if (session == null) {
                return skip(spec, seriesUid, "model unavailable: " + registry.unavailableReason(spec).orElse("not loaded"), t0);
            }
            probabilities = infer(spec, session, tensor, shape);
        } catch (ModelSession.Closed e) {
            return skip(spec, seriesUid, "model unavailable: " + registry.unavailableReason(spec).orElse(e.getMessage()), t0);
        } catch (TimeoutException e) {
            return fail(spec, seriesUid, e.getMessage(), t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skip(spec, seriesUid, "interrupted while the model ran", t0);
        } catch (Exception e) {
            return fail(spec, seriesUid, "inference failed: " + e.getMessage(), t0);
        }
        long infNs = System.nanoTime() - tInf;

        List<String> labels = spec.output().labels();
        List<ModelResult.SliceResult> sliceResults = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DicomSlices.Slice s = slices.get(i);
            sliceResults.add(new ModelResult.SliceResult(s.header().instanceNumber(), s.frame(), probabilities[i]));
        }
        Map<String, Double> study = new LinkedHashMap<>();
        Map<String, List<Integer>> driving = new LinkedHashMap<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        for (int l = 0; l < labels.size(); l++) {
            String label = labels.get(l);
            ModelSpec.LabelDecision decision = spec.decision().labels().get(label);
            SliceCombiner.Combined c = SliceCombiner.combine(spec.decision().combineOrDefault(), sliceResults, l,
                    decision == null ? 0.5 : decision.threshold());
            study.put(label, c.probability());
            driving.put(label, c.drivingSlices());
            if (decision != null) thresholds.put(label, decision.threshold());
            if (decision != null && c.probability() >= decision.threshold()) {
                findings.add(new Finding(spec.id(), spec.version(), label, c.probability(), decision.threshold(),
                        decision.findingCode(), decision.text(), decision.severity(), c.drivingSlices()));
            }
        }
        registry.recordRun(spec, "ok");
        return new ModelResult(spec.id(), spec.version(), seriesUid, labels, sliceResults, study, thresholds, driving, findings,
                timings(t0, readNs, preNs, infNs), null, false);
    }

    private float[][] infer(ModelSpec spec, ModelSession session, float[] tensor, long[] shape) throws Exception {
        int n = (int) shape[0];
        int per = tensor.length / Math.max(1, n);
        int labels = spec.output().labels().size();
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            float[] chunk = new float[(to - from) * per];
            System.arraycopy(tensor, from * per, chunk, 0, chunk.length);
            long[] chunkShape = shape.clone();
            chunkShape[0] = to - from;
            float[][] rows = session.run(spec.input().tensor(), chunk, chunkShape, spec.output().tensor());
            if (rows.length != to - from) {
                throw new IllegalStateException("the model returned " + rows.length + " rows for " + (to - from) + " slices");
            }
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != labels) {
                    throw new IllegalStateException("output '" + spec.output().tensor() + "' has " + rows[i].length
                            + " values per slice but the YAML names " + labels + " labels");
                }
                out[from + i] = Activation.apply(spec.output().activationOrNone(), rows[i]);
            }
        }
        return out;
    }

    /** The qualifying series (its slices in instance order) chosen as the YAML's preprocessing.series says. */
    static List<DicomSlices.Header> chooseSeries(ModelSpec spec, List<Path> files) {
        Map<String, List<DicomSlices.Header>> bySeries = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                DicomSlices.Header h = DicomSlices.header(f);
                bySeries.computeIfAbsent(h.seriesUid(), k -> new ArrayList<>()).add(h);
            } catch (IOException e) {
                LOG.debug("Skipping unreadable file {}: {}", f.getFileName(), e.getMessage());
            }
        }
        List<List<DicomSlices.Header>> candidates = new ArrayList<>();
        for (List<DicomSlices.Header> s : bySeries.values()) {
            DicomSlices.Header first = s.get(0);
            if (spec.selectsSeries(first.sopClass(), first.studyDescription() + " " + first.seriesDescription(), s.size())) {
                candidates.add(s);
            }
        }
        if (candidates.isEmpty()) return List.of();
        ModelSpec.Preprocessing p = spec.preprocessing();
        String how = p == null ? "most-slices" : p.seriesOrDefault();
        List<DicomSlices.Header> chosen = switch (how) {
            case "first" -> candidates.get(0);
            case "pattern" -> {
                Pattern pattern = Pattern.compile(p.seriesPattern(), Pattern.CASE_INSENSITIVE);
                yield candidates.stream().filter(s -> pattern.matcher(s.get(0).seriesDescription()).find())
                        .findFirst().orElse(List.of());
            }
            default -> candidates.stream().max(Comparator.comparingInt(List::size)).orElseThrow();
        };
        List<DicomSlices.Header> sorted = new ArrayList<>(chosen);
        sorted.sort(Comparator.comparingInt(DicomSlices.Header::instanceNumber)
                .thenComparing(h -> h.file().getFileName().toString()));
        return sorted;
    }

    /** Every Nth slice, then at most maxSlices spread evenly over what is left. */
    public static List<DicomSlices.Header> sample(ModelSpec spec, List<DicomSlices.Header> series) {
        ModelSpec.Sampling sampling = spec.preprocessing() == null ? new ModelSpec.Sampling(1, null)
                : spec.preprocessing().samplingOrDefault();
        List<DicomSlices.Header> every = new ArrayList<>();
        for (int i = 0; i < series.size(); i += sampling.everyOrOne()) every.add(series.get(i));
        Integer max = sampling.maxSlices();
        if (max == null || every.size() <= max) return every;
        List<DicomSlices.Header> spread = new ArrayList<>(max);
        for (int i = 0; i < max; i++) spread.add(every.get((int) ((long) i * every.size() / max)));
        return spread;
    }

    private ModelResult skip(ModelSpec spec, String seriesUid, String reason, long t0) {
        registry.recordRun(spec, "skipped");
        LOG.info("Model {} skipped a study: {}", spec.id(), reason);
        return ModelResult.skipped(spec, seriesUid, reason, false, timings(t0, 0, 0, 0));
    }

    private ModelResult fail(ModelSpec spec, String seriesUid, String reason, long t0) {
        registry.markUnavailable(spec, reason);
        return ModelResult.skipped(spec, seriesUid, "model failed: " + reason, true, timings(t0, 0, 0, 0));
    }

    private static ModelResult.Timings timings(long t0, long readNs, long preNs, long infNs) {
        return new ModelResult.Timings(readNs / 1_000_000, preNs / 1_000_000, infNs / 1_000_000,
                (System.nanoTime() - t0) / 1_000_000);
    }
}
