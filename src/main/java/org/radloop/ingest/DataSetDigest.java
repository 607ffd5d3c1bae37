package org.radloop.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a Part 10 file's data set, i.e. the bytes after the File Meta Information. The meta
 * header names the receiving application and time, so two receipts of the very same instance differ
 * there; hashing the data set alone tells a resend from a changed payload.
 */
public final class DataSetDigest {

    private DataSetDigest() {
    }

    public static String sha256Hex(Path file) throws IOException {
        long skip = dataSetOffset(file);
        MessageDigest sha = sha256();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 65536)) {
            in.skipNBytes(skip);
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Where the data set starts: after the 128-byte preamble, "DICM" and the group 0002 elements
     * (always explicit VR little endian). 0 for a file without a meta header.
     */
    static long dataSetOffset(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(132);
            if (head.length < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') return 0;
            long offset = 132;
            while (true) {
                byte[] el = in.readNBytes(8);
                if (el.length < 8) return offset + el.length;
                ByteBuffer b = ByteBuffer.wrap(el).order(ByteOrder.LITTLE_ENDIAN);
                int group = Short.toUnsignedInt(b.getShort(0));
                if (group != 0x0002) return offset;
                String vr = new String(el, 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
                long length;
                int headerLength;
                if (vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN") || vr.equals("UT")
                        || vr.equals("UC") || vr.equals("UR") || vr.equals("OD") || vr.equals("OF") || vr.equals("OL")
                        || vr.equals("OV")) {
                    byte[] len = in.readNBytes(4);
                    if (len.length < 4) return offset + 8 + len.length;
                    length = Integer.toUnsignedLong(ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt());
                    headerLength = 12;
                } else {
                    length = Short.toUnsignedInt(b.getShort(6));
                    headerLength = 8;
                }
                in.skipNBytes(length);
                offset += headerLength + length;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
