package org.radloop.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** A raw MLLP connection: exact bytes out (malformed ones too), one framed reply back. */
public final class MllpTestClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MllpTestClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public String send(String message) throws IOException {
        return send(message.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
    }

    String send(byte[] payload, Charset replyCharset) throws IOException {
        write(payload);
        return readReply(replyCharset);
    }

    void write(byte[] payload) throws IOException {
        byte[] framed = new byte[payload.length + 3];
        framed[0] = 0x0b;
        System.arraycopy(payload, 0, framed, 1, payload.length);
        framed[payload.length + 1] = 0x1c;
        framed[payload.length + 2] = 0x0d;
        out.write(framed);
        out.flush();
    }

    /** The next framed reply; null when the peer closed the connection first. */
    String readReply(Charset charset) throws IOException {
        int b;
        while ((b = in.read()) != 0x0b) if (b < 0) return null;
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        while (true) {
            b = in.read();
            if (b < 0) return null;
            if (b == 0x1c) {
                in.read();
                return buf.toString(charset);
            }
            buf.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Field n (1-based, MSA-1 = 1) of the first segment named {@code segment} in an ACK. */
    public static String field(String ack, String segment, int n) {
        for (String seg : ack.split("\r")) {
            if (seg.startsWith(segment + "|")) {
                String[] f = seg.split("\\|", -1);
                return n < f.length ? f[n] : "";
            }
        }
        return null;
    }
}
