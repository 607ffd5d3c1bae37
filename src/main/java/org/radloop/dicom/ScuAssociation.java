package org.radloop.dicom;

import com.pixelmed.network.Association;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.TimedAssociationInitiator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedList;
import java.util.List;

/**
 * Opens SCU associations that cannot hang. PixelMed connects without a timeout and reads without
 * one, so a PACS that accepts the connection and never answers (or a host that drops the SYN) would
 * hold a forwarding batch or a prior fetch until its claim expires. Here the host is first reached
 * with our own connect under {@code connectTimeout}, then PixelMed's association gets a read
 * timeout ({@code timeout}) on its socket: the A-ASSOCIATE-AC and every response must come within
 * it, and a silent peer fails the operation with a {@link DicomOperationException} that says so.
 */
final class ScuAssociation {

    private ScuAssociation() {
    }

    static TimedAssociationInitiator open(DicomEndpoint e, LinkedList<PresentationContext> contexts) throws DicomOperationException {
        String peer = peer(e);
        try (Socket probe = new Socket()) {
            // PixelMed's own connect has no timeout; an unreachable host would block for minutes.
            probe.connect(new InetSocketAddress(e.getRemoteHost(), e.getRemotePort()), e.getConnectTimeout());
        } catch (SocketTimeoutException t) {
            throw new DicomOperationException("could not connect to " + peer + " within " + e.getConnectTimeout() + " ms", t);
        } catch (IOException io) {
            throw new DicomOperationException("could not connect to " + peer + ": " + io.getMessage(), io);
        }
        try {
            return TimedAssociationInitiator.open(e.getRemoteHost(), e.getRemotePort(), e.getRemoteAeTitle(), e.getAeTitle(),
                    e.getMaxPduSize(), contexts, e.getResponseTimeout());
        } catch (Exception failed) {
            if (timedOut(failed)) {
                throw new DicomOperationException(peer + " accepted the connection but did not answer the association request within "
                        + e.getResponseTimeout() + " ms", failed);
            }
            throw new DicomOperationException("association with " + peer + " failed: " + failed.getMessage(), failed);
        }
    }

    /** Work on an open association. */
    interface Work<T> {
        T on(Association association) throws Exception;
    }

    /**
     * Opens an association for {@code sopClass}, runs {@code work} on it and ends it: released after
     * an answer, aborted after a timeout. Any failure comes back as a {@link DicomOperationException}
     * naming the operation, the peer and, for a silent peer, the timeout.
     */
    static <T> T run(DicomEndpoint e, String operation, String sopClass, Work<T> work) throws DicomOperationException {
        Association association = open(e, contextsFor(sopClass));
        boolean abort = true;
        try {
            T result = work.on(association);
            abort = false;
            return result;
        } catch (Exception failed) {
            abort = timedOut(failed);
            throw failure(e, operation, failed);
        } finally {
            close(association, abort);
        }
    }

    /** One context per transfer syntax offered for {@code sopClass} (as PixelMed's own SCUs offer them). */
    static LinkedList<PresentationContext> contextsFor(String sopClass) {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, sopClass,
                new LinkedList<>(List.of(TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN))));
        contexts.add(new PresentationContext((byte) 3, sopClass, TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN));
        contexts.add(new PresentationContext((byte) 5, sopClass, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN));
        return contexts;
    }

    /** Whether {@code e} (or a cause) is a read that waited longer than the timeout. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) return true;
            // PixelMed rewraps some I/O failures in its own exception with only the message kept
            if (t.getMessage() != null && t.getMessage().contains("Read timed out")) return true;
        }
        return false;
    }

    /** The failure to report for {@code failed}: a timeout is named as such. */
    static DicomOperationException failure(DicomEndpoint e, String operation, Exception failed) {
        if (failed instanceof DicomOperationException d) return d;
        if (timedOut(failed)) {
            return new DicomOperationException(operation + " to " + peer(e) + ": no answer within " + e.getResponseTimeout() + " ms", failed);
        }
        return new DicomOperationException(operation + " to " + peer(e) + " failed: " + failed.getMessage(), failed);
    }

    /**
     * Ends an association: A-RELEASE normally, A-ABORT after a timeout (a silent peer would not
     * answer the release either, and waiting for it would double the time lost).
     */
    static void close(Association association, boolean abort) {
        if (association == null) {
            return;
        }
        try {
            if (abort) {
                association.abort();
            } else {
                association.release();
            }
        } catch (Exception alreadyGone) {
            // the peer aborted or closed first; every operation has its outcome already
        }
    }

    static String peer(DicomEndpoint e) {
        return e.getRemoteAeTitle() + " at " + e.getRemoteHost() + ":" + e.getRemotePort();
    }
}
