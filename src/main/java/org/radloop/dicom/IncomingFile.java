package org.radloop.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One C-STORE data set being received: the P-DATA fragments go straight to a temporary file behind
 * our own meta header, with the SHA-256 of the data set bytes computed on the way, so no instance is
 * ever held in memory whatever its size.
 */
final class IncomingFile {
    private static final int BUFFER = 256 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final MessageDigest digest = Part10.sha256();
    private final long metaLength;
    private long dataSetLength;
    private String sha256;

    IncomingFile(Path incomingDir, byte[] metaHeader) throws IOException {
        Files.createDirectories(incomingDir);
        this.path = incomingDir.resolve(UUID.randomUUID() + ".part");
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.metaLength = metaHeader.length;
        try {
            writeFully(ByteBuffer.wrap(metaHeader));
        } catch (IOException e) {
            discard();
            throw e;
        }
    }

    void append(byte[] fragment) throws IOException {
        digest.update(fragment);
        dataSetLength += fragment.length;
        int off = 0;
        while (off < fragment.length) {
            int n = Math.min(buffer.remaining(), fragment.length - off);
            buffer.put(fragment, off, n);
            off += n;
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
        }
    }

    /** Makes the bytes durable: the file is complete on disk when this returns. */
    void finish() throws IOException {
        flushBuffer();
        channel.force(false); // fdatasync: data and size, not timestamps
        channel.close();
        sha256 = HexFormat.of().formatHex(digest.digest());
    }

    /** Removes the partial file; used on any failure so no half-written instance is left behind. */
    void discard() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failed write can fail again; the delete below is what matters
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // nothing more we can do; the .incoming folder is cleared at start
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    Path path() {
        return path;
    }

    long metaLength() {
        return metaLength;
    }

    long dataSetLength() {
        return dataSetLength;
    }

    String sha256() {
        return sha256;
    }
}
