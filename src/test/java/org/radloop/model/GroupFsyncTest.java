package org.radloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The grouping of folder fsyncs between associations. The fsync itself is replaced by one that
 * records its calls and, on demand, holds them: what is checked is which callers one fsync covers,
 * not the disk (DicomScpTest and DicomCrashSafetyTest store through the real one).
 */
class GroupFsyncTest {

    private final Path folder = Path.of("/series");
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** An fsync that counts its calls, notes which callers had arrived when it started, and can be held. */
    private static final class HeldFsync implements GroupFsync.Fsync {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger arrived = new AtomicInteger();
        final List<Integer> arrivedAtStart = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        volatile boolean failNext;

        @Override
        public void sync(Path f) throws IOException {
            int n = calls.incrementAndGet();
            arrivedAtStart.add(arrived.get());
            if (n == 1) {
                firstStarted.countDown();
                try {
                    releaseFirst.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failNext) {
                failNext = false;
                throw new IOException("fsync failed");
            }
        }
    }

    private Future<Integer> caller(GroupFsync sync, HeldFsync fsync) {
        return callers.submit(() -> {
            int me = fsync.arrived.incrementAndGet();
            sync.sync(folder);
            return me;
        });
    }

    @Test
    void callersArrivingDuringAnFsyncShareTheNextOneAndNoneReturnsBeforeAnFsyncThatStartedAfterIt() throws Exception {
        HeldFsync fsync = new HeldFsync();
        GroupFsync sync = new GroupFsync(fsync);
        Future<Integer> first = caller(sync, fsync);
        assertThat(fsync.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        // three more renames while the first fsync runs: it may have started before them
        List<Future<Integer>> later = List.of(caller(sync, fsync), caller(sync, fsync), caller(sync, fsync));
        // all four registered (the first's fsync holds no lock while it runs)
        await().atMost(30, TimeUnit.SECONDS).until(() -> sync.requested(folder) == 4);
        assertThat(later).noneMatch(Future::isDone);
        fsync.releaseFirst.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        for (Future<Integer> f : later) {
            f.get(30, TimeUnit.SECONDS);
        }
        // one fsync for the first, one shared by the three that came while it ran
        assertThat(fsync.calls.get()).isEqualTo(2);
        assertThat(fsync.arrivedAtStart.get(1)).as("the shared fsync started after all four had arrived").isEqualTo(4);
    }

    @Test
    void aFailedSharedFsyncCoversNobodyAndEachWaiterTriesItsOwn() throws Exception {
        HeldFsync fsync = new HeldFsync();
        GroupFsync sync = new GroupFsync(fsync);
        fsync.failNext = true;
        Future<Integer> first = caller(sync, fsync);
        assertThat(fsync.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        Future<Integer> second = caller(sync, fsync);
        await().atMost(30, TimeUnit.SECONDS).until(() -> sync.requested(folder) == 2);
        fsync.releaseFirst.countDown();
        // the first caller's own fsync failed: it gets the error; the second is not covered by it
        assertThat(catchCause(first)).isInstanceOf(IOException.class).hasMessage("fsync failed");
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(fsync.calls.get()).isEqualTo(2);
    }

    private static Throwable catchCause(Future<?> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        }
    }
}
