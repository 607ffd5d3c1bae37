package org.radloop.dicom;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads the peer's A-ASSOCIATE-RQ before PixelMed sees it, so the SCP can refuse a calling AE title
 * with the standard reject reason. PixelMed's acceptor only checks the called AE title; the PDU bytes
 * read here are handed back to it unchanged through {@link PrefetchedSocket}.
 */
final class AssociateRequestGate {

    /** A-ASSOCIATE-RQ larger than this is not a real modality (128 contexts fit in ~40 KiB). */
    private static final int MAX_REQUEST_LENGTH = 1 << 20;

    static final int RESULT_PERMANENT = 1;
    static final int RESULT_TRANSIENT = 2;
    static final int SOURCE_SERVICE_USER = 1;
    static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;
    static final int REASON_CALLING_AE_NOT_RECOGNIZED = 3;
    static final int REASON_CALLED_AE_NOT_RECOGNIZED = 7;
    static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

    /** The first PDU as received, plus the AE titles it names. */
    record Request(byte[] pduBytes, String calledAeTitle, String callingAeTitle) {
    }

    private AssociateRequestGate() {
    }

    /**
     * Reads one A-ASSOCIATE-RQ. Returns null when the peer sent something else (it is then closed),
     * as a port scanner or health check does.
     */
    static Request read(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[6];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            return null;
        }
        long length = ((header[2] & 0xFFL) << 24) | ((header[3] & 0xFFL) << 16) | ((header[4] & 0xFFL) << 8) | (header[5] & 0xFFL);
        if ((header[0] & 0xFF) != 0x01 || length < 68 || length > MAX_REQUEST_LENGTH) {
            return null;
        }
        byte[] pdu = new byte[6 + (int) length];
        System.arraycopy(header, 0, pdu, 0, 6);
        in.readFully(pdu, 6, (int) length);
        // Body: protocol version (2), reserved (2), called AE (16), calling AE (16).
        String called = aeTitle(pdu, 10);
        String calling = aeTitle(pdu, 26);
        return new Request(pdu, called, calling);
    }

    private static String aeTitle(byte[] pdu, int offset) {
        return new String(pdu, offset, 16, StandardCharsets.US_ASCII).trim();
    }

    /** Sends A-ASSOCIATE-RJ (PS3.8 9.3.4) and closes the socket. */
    static void reject(Socket socket, int result, int source, int reason) {
        byte[] rj = {0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, (byte) result, (byte) source, (byte) reason};
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(rj);
            out.flush();
            socket.shutdownOutput();
            // Give the peer the chance to read the reject before the connection is torn down.
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain until the peer closes
            }
        } catch (IOException ignored) {
            // the peer went away first; nothing left to tell it
        }
    }
}
