package org.radloop.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;

/**
 * A connected socket whose first bytes were already read (the A-ASSOCIATE-RQ checked by
 * {@link AssociateRequestGate}); replays them ahead of the live stream so PixelMed's acceptor parses
 * the association request itself.
 */
final class PrefetchedSocket extends DelegatingSocket {
    private final InputStream in;

    PrefetchedSocket(Socket delegate, byte[] prefetched) throws IOException {
        super(delegate);
        this.in = new SequenceInputStream(new ByteArrayInputStream(prefetched), delegate.getInputStream());
    }

    @Override public InputStream getInputStream() { return in; }
}
