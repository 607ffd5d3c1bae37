package org.radloop.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.radloop.model.GroupFsync;

/**
 * The on-disk layout of received instances. One file per SOP instance:
 * {@code <storageDir>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm}, a Part 10 file
 * whose data set is byte for byte what the sender sent. A resend with identical data set bytes is
 * not stored again; a resend with different bytes is kept beside the first as
 * {@code <SOPInstanceUID>.v2.dcm}, {@code .v3.dcm}... so nothing received is ever overwritten and
 * the indexer decides which copy counts. Files in flight live in {@code <storageDir>/.incoming}
 * (same file system, so the final rename is atomic). Refused or unprocessed instances go to the
 * quarantine folder with a {@code .reason} text file beside them, for inspection and replay.
 */
final class InstanceStore {

    /** Whether the instance was new or a resend of one already stored. */
    enum Duplicate { NONE, IDENTICAL, CHANGED }

    /** Where a committed instance ended up. {@code created} is false for an identical resend. */
    record Stored(Path file, long size, Duplicate duplicate, boolean created) {
    }

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

    private final Path storageDir;
    private final Path quarantineDir;
    private final Path incomingDir;
    private final GroupFsync folderSync = new GroupFsync(Part10::fsyncDirectory);
    /** Runs folder fsyncs beside the associations' threads; one per association storing at most. */
    private final ExecutorService syncThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dicom-folder-sync");
        t.setDaemon(true);
        return t;
    });

    InstanceStore(Path storageDir, Path quarantineDir) {
        this.storageDir = storageDir.toAbsolutePath().normalize();
        this.quarantineDir = quarantineDir.toAbsolutePath().normalize();
        this.incomingDir = this.storageDir.resolve(".incoming");
    }

    /** Creates the folders and removes partial files an earlier crash left in flight. */
    void open() throws IOException {
        Files.createDirectories(storageDir);
        Files.createDirectories(quarantineDir);
        Files.createDirectories(incomingDir);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(incomingDir, "*.part")) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path incomingDir() {
        return incomingDir;
    }

    Path storageDir() {
        return storageDir;
    }

    Path quarantineDir() {
        return quarantineDir;
    }

    static boolean isValidUid(String uid) {
        return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
    }

    /** Waits for a placed file's rename to be durable; the fsync's failure is thrown here. */
    static void awaitDurable(Placed placed) throws IOException {
        try {
            placed.durable().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw new IOException("the series folder could not be synced", e.getCause());
        }
    }

    /** A file moved into place whose rename becomes durable when {@code durable} completes. */
    record Placed(Stored stored, CompletableFuture<Void> durable) {
    }

    /**
     * Moves a complete, fsync'd incoming file to its place, or drops it when an identical copy is
     * already stored. The choice of the name and the rename are serialised, so two associations
     * resending the same instance cannot race. It returns as soon as the file is in place, with the
     * folder fsync that makes the rename durable running on another thread (shared by the
     * associations storing into the same series folder at that moment, {@link GroupFsync}): the
     * caller overlaps it with other work (the route's database work) and waits for {@code durable}
     * ({@link #awaitDurable}) before anything depends on the rename surviving a crash. A crash before the
     * fsync ends leaves the file either in place unindexed (a resend then finds it identical and
     * indexes it) or back in {@code .incoming} as a partial file removed at the next start.
     */
    Placed commitLater(IncomingFile incoming, String studyUid, String seriesUid, String sopInstanceUid)
            throws IOException {
        Path seriesDir = storageDir.resolve(studyUid).resolve(seriesUid);
        Stored stored = place(incoming, seriesDir, sopInstanceUid);
        // An identical copy may be another association's rename whose fsync is still running: wait
        // for it too, so a duplicate is never acknowledged before the first copy is durable.
        CompletableFuture<Void> durable = CompletableFuture.runAsync(() -> {
            try {
                folderSync.sync(seriesDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, syncThreads);
        return new Placed(stored, durable);
    }

    private synchronized Stored place(IncomingFile incoming, Path seriesDir, String sopInstanceUid) throws IOException {
        if (!Files.isDirectory(seriesDir)) {
            Files.createDirectories(seriesDir);
            // the new study and series folders' own entries, so the instance is reachable after a crash
            Part10.fsyncDirectory(seriesDir.getParent());
            Part10.fsyncDirectory(storageDir);
        }
        Duplicate duplicate = Duplicate.NONE;
        for (int version = 1; ; version++) {
            Path candidate = seriesDir.resolve(version == 1 ? sopInstanceUid + ".dcm" : sopInstanceUid + ".v" + version + ".dcm");
            if (!Files.exists(candidate)) {
                Files.move(incoming.path(), candidate, StandardCopyOption.ATOMIC_MOVE);
                return new Stored(candidate, Files.size(candidate), duplicate, true);
            }
            if (Part10.sha256OfDataSet(candidate).equals(incoming.sha256())) {
                Files.deleteIfExists(incoming.path());
                return new Stored(candidate, Files.size(candidate), Duplicate.IDENTICAL, false);
            }
            duplicate = Duplicate.CHANGED;
        }
    }

    /**
     * Keeps {@code file} (or nothing, when null) in quarantine with a reason file. Returns the
     * quarantined file, or the reason file when there were no bytes to keep.
     */
    synchronized Path quarantine(Path file, String sopInstanceUid, String reason) throws IOException {
        Files.createDirectories(quarantineDir);
        String base = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
                + (isValidUid(sopInstanceUid) ? sopInstanceUid : "unknown") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Path reasonFile = quarantineDir.resolve(base + ".reason");
        Files.writeString(reasonFile, reason.endsWith("\n") ? reason : reason + "\n", StandardCharsets.UTF_8);
        if (file == null || !Files.exists(file)) {
            Part10.fsyncDirectory(quarantineDir);
            return reasonFile;
        }
        Path target = quarantineDir.resolve(base + ".dcm");
        moveDurably(file, target);
        return target;
    }

    private static void moveDurably(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // quarantine on another file system: copy, sync, then remove the source
            Files.copy(from, to);
            try (var ch = java.nio.channels.FileChannel.open(to, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.delete(from);
        }
        Part10.fsyncDirectory(to.getParent());
    }
}
