package org.radloop.dicom;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** DICOM Part 10 file framing: the meta header we write, and where a file's data set starts. */
public final class Part10 {
    private Part10() {
    }

    /** Preamble, "DICM" and a meta information group for the given instance, in explicit VR LE. */
    static byte[] metaHeader(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String sourceAeTitle)
            throws IOException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DicomOutputStream out = new DicomOutputStream(bytes, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, null);
            new FileMetaInformation(sopClassUid, sopInstanceUid, transferSyntaxUid, sourceAeTitle).getAttributeList().write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (DicomException e) {
            throw new IOException("cannot build file meta information: " + e.getMessage(), e);
        }
    }

    /**
     * Byte offset at which the data set starts: after the preamble and the meta group (found by its
     * group length), or 0 for a file without a Part 10 header.
     */
    public static long dataSetOffset(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(144).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            if (b.position() < 144 || b.get(128) != 'D' || b.get(129) != 'I' || b.get(130) != 'C' || b.get(131) != 'M') {
                return 0;
            }
            if (b.getShort(132) != 0x0002 || b.getShort(134) != 0x0000) {
                throw new IOException("Part 10 meta header without group length in " + file.getFileName());
            }
            return 144 + Integer.toUnsignedLong(b.getInt(140));
        }
    }

    /** Hex SHA-256 of the data set bytes of a Part 10 file, read as a stream. */
    public static String sha256OfDataSet(Path file) throws IOException {
        long offset = dataSetOffset(file);
        MessageDigest digest = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset);
            try (InputStream in = new DigestInputStream(Channels.newInputStream(ch), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory for sync; the rename itself stays atomic
        }
    }
}
