package org.radloop.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes writes to a file, or renames into a folder, durable with as few fsyncs as possible. Several
 * threads that each need their write on disk before they answer (associations storing into one
 * series folder, transactions committing to the embedded database) are all covered by one fsync
 * that starts after all their writes. So a caller asks for the path to be synced after its write: if
 * an fsync is running, it waits for it and for the next one (the running one may have started before
 * its write); the next one is run by one of the waiting callers for everybody waiting at that moment.
 * A failed fsync covers nobody: each waiter then tries its own and gets its own error.
 */
public final class GroupFsync {

    /** The fsync state of one path while anybody needs it; removed when the last caller leaves. */
    private static final class PathState {
        final ReentrantLock lock = new ReentrantLock();
        final Condition finished = lock.newCondition();
        long requested;
        long synced;
        boolean running;
        int users;
    }

    /** What syncs one path: a folder's fsync, a file's fdatasync, or a stand-in that counts calls in a test. */
    public interface Fsync {
        void sync(Path path) throws IOException;
    }

    private final Map<Path, PathState> paths = new HashMap<>();
    private final Fsync fsync;

    public GroupFsync(Fsync fsync) {
        this.fsync = fsync;
    }

    /** fdatasync of one file: its data and the size needed to read it back, not its times. */
    public static void fdatasync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(false);
        }
    }

    /** Returns once everything written to (or renamed into) {@code folder} before this call is durable. */
    public void sync(Path folder) throws IOException {
        PathState f;
        synchronized (paths) {
            f = paths.computeIfAbsent(folder, p -> new PathState());
            f.users++;
        }
        try {
            await(f, folder);
        } finally {
            synchronized (paths) {
                if (--f.users == 0) paths.remove(folder);
            }
        }
    }

    /** Callers registered for {@code folder} since it was last idle (for the unit test). */
    long requested(Path folder) {
        PathState f;
        synchronized (paths) {
            f = paths.get(folder);
        }
        if (f == null) return 0;
        f.lock.lock();
        try {
            return f.requested;
        } finally {
            f.lock.unlock();
        }
    }

    private void await(PathState f, Path folder) throws IOException {
        f.lock.lock();
        try {
            long mine = ++f.requested;
            while (f.synced < mine) {
                if (f.running) {
                    f.finished.awaitUninterruptibly();
                    continue;
                }
                long covers = f.requested;
                f.running = true;
                boolean ok = false;
                f.lock.unlock();
                try {
                    fsync.sync(folder);
                    ok = true;
                } finally {
                    f.lock.lock();
                    f.running = false;
                    if (ok && covers > f.synced) f.synced = covers;
                    f.finished.signalAll();
                }
            }
        } finally {
            f.lock.unlock();
        }
    }
}
