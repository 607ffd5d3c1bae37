package org.radloop.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes renames into a folder durable with as few folder fsyncs as possible. Several associations
 * storing into the same series folder at once each need their rename on disk before they answer;
 * one fsync of the folder that starts after all their renames covers them all. So a caller asks for
 * the folder to be synced after its rename: if an fsync is running, it waits for it and for the next
 * one (the running one may have started before its rename); the next one is run by one of the
 * waiting callers for everybody waiting at that moment. A failed fsync covers nobody: each waiter
 * then tries its own and gets its own error.
 */
final class FolderSync {

    /** The fsync state of one folder while anybody needs it; removed when the last caller leaves. */
    private static final class Folder {
        final ReentrantLock lock = new ReentrantLock();
        final Condition finished = lock.newCondition();
        long requested;
        long synced;
        boolean running;
        int users;
    }

    /** What syncs one folder; Part10's fsync, or a stand-in that counts calls in the unit test. */
    interface Fsync {
        void sync(Path folder) throws IOException;
    }

    private final Map<Path, Folder> folders = new HashMap<>();
    private final Fsync fsync;

    FolderSync() {
        this(Part10::fsyncDirectory);
    }

    FolderSync(Fsync fsync) {
        this.fsync = fsync;
    }

    /** Returns once everything renamed into {@code folder} before this call is durable. */
    void sync(Path folder) throws IOException {
        Folder f;
        synchronized (folders) {
            f = folders.computeIfAbsent(folder, p -> new Folder());
            f.users++;
        }
        try {
            await(f, folder);
        } finally {
            synchronized (folders) {
                if (--f.users == 0) folders.remove(folder);
            }
        }
    }

    /** Callers registered for {@code folder} since it was last idle (for the unit test). */
    long requested(Path folder) {
        Folder f;
        synchronized (folders) {
            f = folders.get(folder);
        }
        if (f == null) return 0;
        f.lock.lock();
        try {
            return f.requested;
        } finally {
            f.lock.unlock();
        }
    }

    private void await(Folder f, Path folder) throws IOException {
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
