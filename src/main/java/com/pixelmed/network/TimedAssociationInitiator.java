package com.pixelmed.network;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedList;
import org.radloop.dicom.DelegatingSocket;

/**
 * PixelMed's association initiator with a read timeout and TCP_NODELAY on its socket. PixelMed
 * opens the socket inside its constructor and at once waits for the A-ASSOCIATE-AC with no timeout,
 * so a peer that accepts the connection and never answers would hold the caller for ever. Its
 * constructor hands the fresh socket to the overridable {@code setSocketOptions} before it sends
 * anything: that is where the timeout goes in. The class lives in PixelMed's package only because
 * {@code AssociationInitiator} is package-private; RadLoop uses it through
 * {@code org.radloop.dicom.ScuAssociation}.
 */
public final class TimedAssociationInitiator extends AssociationInitiator {

    /** The constructor of the superclass runs before any field of ours is set: the timeout comes this way. */
    private static final ThreadLocal<Integer> READ_TIMEOUT = new ThreadLocal<>();

    private TimedAssociationInitiator(String host, int port, String calledAeTitle, String callingAeTitle, int maxPduSize,
                                      LinkedList<?> presentationContexts) throws DicomNetworkException, IOException {
        super(host, port, calledAeTitle, callingAeTitle, "1.3.6.1.4.1.5962.99.2", "PIXELMEDJAVA001", maxPduSize, 0, 0,
                presentationContexts, null, false, null, null);
    }

    /**
     * Connects and negotiates; every read on the association (the A-ASSOCIATE-AC, each response)
     * fails with {@link java.net.SocketTimeoutException} after {@code readTimeoutMillis} of silence.
     */
    public static TimedAssociationInitiator open(String host, int port, String calledAeTitle, String callingAeTitle, int maxPduSize,
                                   LinkedList<?> presentationContexts, int readTimeoutMillis)
            throws DicomNetworkException, IOException {
        READ_TIMEOUT.set(readTimeoutMillis);
        try {
            return new TimedAssociationInitiator(host, port, calledAeTitle, callingAeTitle, maxPduSize, presentationContexts);
        } finally {
            READ_TIMEOUT.remove();
        }
    }

    /** Set once a read timed out; PixelMed's storage SCU reports that only as a failed instance. */
    private volatile boolean timedOut;

    /** Whether the peer was silent for longer than the timeout at some point of this association. */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    protected void setSocketOptions(Socket socket, int receiveBufferSize, int sendBufferSize, int debugLevel) throws IOException {
        super.setSocketOptions(socket, receiveBufferSize, sendBufferSize, debugLevel);
        // Nagle off: without it a C-STORE SCU stalls on delayed ACKs (~20 instances/s instead of hundreds)
        socket.setTcpNoDelay(true);
        Integer timeout = READ_TIMEOUT.get();
        if (timeout != null) socket.setSoTimeout(timeout);
        // The constructor takes its streams from this field right after this call.
        this.socket = new TimeoutNoticingSocket(socket);
    }

    /**
     * Notes a read timeout, and after one fails every further read at once: PixelMed's storage SCU
     * goes on with the next instance after a failed one, and would otherwise wait the whole timeout
     * again for each instance of the batch.
     */
    private final class TimeoutNoticingSocket extends DelegatingSocket {
        private final InputStream in;

        TimeoutNoticingSocket(Socket delegate) throws IOException {
            super(delegate);
            this.in = new FilterInputStream(delegate.getInputStream()) {
                @Override
                public int read() throws IOException {
                    check();
                    try {
                        return super.read();
                    } catch (SocketTimeoutException e) {
                        timedOut = true;
                        throw e;
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    check();
                    try {
                        return super.read(b, off, len);
                    } catch (SocketTimeoutException e) {
                        timedOut = true;
                        throw e;
                    }
                }
            };
        }

        private void check() throws SocketTimeoutException {
            if (timedOut) throw new SocketTimeoutException("Read timed out earlier on this association");
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }
    }
}
