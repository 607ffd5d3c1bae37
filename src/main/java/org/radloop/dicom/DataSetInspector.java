package org.radloop.dicom;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Walks a received data set element by element, skipping values, to prove it is complete and
 * well formed before it is acknowledged, and picks up the few UIDs the store needs. It never holds
 * more than one short value in memory, so a 1 GB multi-frame instance is checked with a small heap;
 * PixelMed's AttributeList would load the pixel data.
 */
final class DataSetInspector {

    /** What the store and the route need from a data set. Any of them may be null if absent. */
    record Findings(String sopClassUid, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid) {
    }

    private static final int SOP_CLASS_UID = 0x00080016;
    private static final int SOP_INSTANCE_UID = 0x00080018;
    private static final int STUDY_INSTANCE_UID = 0x0020000D;
    private static final int SERIES_INSTANCE_UID = 0x0020000E;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITATION = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
    private static final int MAX_DEPTH = 64;

    private final Reader in;
    private final boolean bigEndian;
    private String sopClassUid;
    private String sopInstanceUid;
    private String studyInstanceUid;
    private String seriesInstanceUid;

    private DataSetInspector(InputStream in, long length, String transferSyntaxUid) {
        boolean deflated = TransferSyntaxes.isDeflated(transferSyntaxUid);
        InputStream source = deflated ? new InflaterInputStream(in, new Inflater(true), 65536) : in;
        // A file stream skips past its end without complaint, so the known length bounds skips;
        // an inflater reports its end itself.
        this.in = new Reader(new BufferedInputStream(source, 65536), deflated ? Long.MAX_VALUE : length);
        this.bigEndian = TransferSyntaxes.isBigEndian(transferSyntaxUid);
    }

    /**
     * Inspects the {@code length} bytes of data set read from {@code in} (positioned just after any
     * meta header), encoded in {@code transferSyntaxUid}.
     *
     * @throws MalformedDataSetException with status 0xC000 when it is truncated or broken
     */
    static Findings inspect(InputStream in, long length, String transferSyntaxUid) throws IOException, MalformedDataSetException {
        DataSetInspector inspector = new DataSetInspector(in, length, transferSyntaxUid);
        try {
            inspector.walkTopLevel(!TransferSyntaxes.isImplicitVr(transferSyntaxUid));
        } catch (EOFException e) {
            throw malformed("data set truncated at byte " + inspector.in.position + ": " + e.getMessage());
        } catch (java.util.zip.ZipException e) {
            throw malformed("deflated data set cannot be inflated: " + e.getMessage());
        }
        return new Findings(inspector.sopClassUid, inspector.sopInstanceUid, inspector.studyInstanceUid,
                inspector.seriesInstanceUid);
    }

    private void walkTopLevel(boolean explicitVr) throws IOException, MalformedDataSetException {
        int elements = 0;
        long previousTag = -1;
        while (in.atElementBoundaryAndMore()) {
            int tag = readTag();
            if (Integer.toUnsignedLong(tag) <= previousTag) {
                throw malformed(String.format("element (%s) out of order at byte %d", tagString(tag), in.position - 4));
            }
            previousTag = Integer.toUnsignedLong(tag);
            readElement(tag, explicitVr, 0, true);
            elements++;
        }
        if (elements == 0) {
            throw malformed("empty data set");
        }
    }

    private void readElement(int tag, boolean explicitVr, int depth, boolean topLevel) throws IOException, MalformedDataSetException {
        if ((tag >>> 16) == 0xFFFE) {
            throw malformed(String.format("unexpected item tag (%s) at byte %d", tagString(tag), in.position - 4));
        }
        String vr = null;
        long length;
        if (explicitVr) {
            byte[] vrBytes = in.readFully(2);
            if (!Character.isUpperCase(vrBytes[0]) || !Character.isUpperCase(vrBytes[1])) {
                throw malformed(String.format("invalid VR in element (%s) at byte %d", tagString(tag), in.position - 6));
            }
            vr = new String(vrBytes, StandardCharsets.US_ASCII);
            if (hasLongLength(vr)) {
                in.skipFully(2);
                length = readUint32();
            } else {
                length = readUint16();
            }
        } else {
            length = readUint32();
        }
        if (length == UNDEFINED_LENGTH) {
            if (tag == PIXEL_DATA && explicitVr && !"UN".equals(vr)) {
                walkEncapsulatedPixelData();
            } else if (!explicitVr || "SQ".equals(vr) || "UN".equals(vr)) {
                // UN of undefined length is an implicit VR little endian sequence (PS3.5 6.2.2)
                walkSequence(explicitVr && !"UN".equals(vr), depth + 1);
            } else {
                throw malformed(String.format("undefined length on VR %s in element (%s)", vr, tagString(tag)));
            }
            return;
        }
        if (topLevel && isWanted(tag) && length <= 256) {
            String value = new String(in.readFully((int) length), StandardCharsets.US_ASCII).replace("\0", "").trim();
            remember(tag, value);
        } else {
            in.skipFully(length);
        }
    }

    private void walkSequence(boolean explicitVr, int depth) throws IOException, MalformedDataSetException {
        if (depth > MAX_DEPTH) {
            throw malformed("sequences nested deeper than " + MAX_DEPTH);
        }
        while (true) {
            int tag = readTag();
            long length = readUint32();
            if (tag == SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != ITEM) {
                throw malformed(String.format("expected item in sequence, found (%s) at byte %d", tagString(tag), in.position - 8));
            }
            if (length == UNDEFINED_LENGTH) {
                walkItem(explicitVr, depth);
            } else {
                in.skipFully(length);
            }
        }
    }

    private void walkItem(boolean explicitVr, int depth) throws IOException, MalformedDataSetException {
        while (true) {
            int tag = readTag();
            if (tag == ITEM_DELIMITATION) {
                readUint32();
                return;
            }
            readElement(tag, explicitVr, depth, false);
        }
    }

    private void walkEncapsulatedPixelData() throws IOException, MalformedDataSetException {
        while (true) {
            int tag = readTag();
            long length = readUint32();
            if (tag == SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != ITEM || length == UNDEFINED_LENGTH) {
                throw malformed(String.format("broken encapsulated pixel data fragment (%s) at byte %d", tagString(tag), in.position - 8));
            }
            in.skipFully(length);
        }
    }

    private static boolean hasLongLength(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    private static boolean isWanted(int tag) {
        return tag == SOP_CLASS_UID || tag == SOP_INSTANCE_UID || tag == STUDY_INSTANCE_UID || tag == SERIES_INSTANCE_UID;
    }

    private void remember(int tag, String value) {
        String v = value.isEmpty() ? null : value;
        switch (tag) {
            case SOP_CLASS_UID -> sopClassUid = v;
            case SOP_INSTANCE_UID -> sopInstanceUid = v;
            case STUDY_INSTANCE_UID -> studyInstanceUid = v;
            case SERIES_INSTANCE_UID -> seriesInstanceUid = v;
            default -> { }
        }
    }

    private int readTag() throws IOException {
        int group = readUint16();
        int element = readUint16();
        return (group << 16) | element;
    }

    private int readUint16() throws IOException {
        byte[] b = in.readFully(2);
        return bigEndian ? ((b[0] & 0xFF) << 8) | (b[1] & 0xFF) : ((b[1] & 0xFF) << 8) | (b[0] & 0xFF);
    }

    private long readUint32() throws IOException {
        byte[] b = in.readFully(4);
        return bigEndian
                ? ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL)
                : ((b[3] & 0xFFL) << 24) | ((b[2] & 0xFFL) << 16) | ((b[1] & 0xFFL) << 8) | (b[0] & 0xFFL);
    }

    private static String tagString(int tag) {
        return String.format("%04X,%04X", tag >>> 16, tag & 0xFFFF);
    }

    private static MalformedDataSetException malformed(String reason) {
        return new MalformedDataSetException(DicomStatus.CANNOT_UNDERSTAND, reason);
    }

    /** Exact reads and skips that fail with EOFException instead of returning short. */
    private static final class Reader {
        private final InputStream in;
        private final long limit;
        private long position;

        Reader(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        boolean atElementBoundaryAndMore() throws IOException {
            if (position >= limit) {
                return false;
            }
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                return false;
            }
            in.reset();
            return true;
        }

        byte[] readFully(int n) throws IOException {
            if (n > limit - position) {
                throw new EOFException("needed " + (n - (limit - position)) + " more bytes");
            }
            byte[] b = new byte[n];
            int off = 0;
            while (off < n) {
                int r = in.read(b, off, n - off);
                if (r < 0) {
                    throw new EOFException("needed " + (n - off) + " more bytes");
                }
                off += r;
            }
            position += n;
            return b;
        }

        void skipFully(long n) throws IOException {
            if (n > limit - position) {
                throw new EOFException("value of " + n + " bytes ends " + (n - (limit - position)) + " bytes early");
            }
            long left = n;
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("value of " + n + " bytes ends " + left + " bytes early");
                    }
                    s = 1;
                }
                left -= s;
            }
            position += n;
        }
    }
}
