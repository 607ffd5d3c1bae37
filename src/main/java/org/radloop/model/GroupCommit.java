package org.radloop.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: items that must each be committed before their sender is answered, arriving together
 * on several connections, share one transaction. On H2 a commit costs more than the work in it (it
 * writes every changed page), so sharing it is what lets several senders go faster than one. The
 * thread that gets the lock commits everything queued at that moment, its own item included; the
 * others find theirs done. A single sender never waits for anyone. If a shared transaction fails (a
 * refused item, a race), each of its items is committed on its own, so one item never changes
 * another's outcome.
 *
 * @param <I> what is committed
 * @param <O> what each commit returns to its caller
 */
public final class GroupCommit<I, O> {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<I, O>(I item, CompletableFuture<O> done) {
    }

    private final Store store;
    private final int maxGroup;
    private final BiFunction<Session, I, O> work;
    private final Function<I, O> alone;
    private final LinkedBlockingQueue<Pending<I, O>> waiting = new LinkedBlockingQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();

    /**
     * @param work  applies one item inside a (possibly shared) transaction
     * @param alone commits one item in its own transaction(s), retrying what is transient; what it
     *              throws is what the item's caller gets
     */
    public GroupCommit(Store store, int maxGroup, BiFunction<Session, I, O> work, Function<I, O> alone) {
        this.store = store;
        this.maxGroup = maxGroup;
        this.work = work;
        this.alone = alone;
    }

    /** Commits {@code item}, alone or with others waiting at the same moment; returns once committed. */
    public O commit(I item) {
        Pending<I, O> mine = new Pending<>(item, new CompletableFuture<>());
        waiting.add(mine);
        while (!mine.done().isDone()) {
            commitLock.lock();
            try {
                if (mine.done().isDone()) break;
                List<Pending<I, O>> batch = new ArrayList<>();
                waiting.drainTo(batch, maxGroup);
                try {
                    commitGroup(batch);
                } finally {
                    // whatever went wrong, nobody waits for an item that left the queue (built only then:
                    // an exception with its stack for every committed item would cost every message)
                    for (Pending<I, O> p : batch) {
                        if (!p.done().isDone()) p.done().completeExceptionally(new IllegalStateException("commit did not finish"));
                    }
                }
            } finally {
                commitLock.unlock();
            }
        }
        try {
            return mine.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private void commitGroup(List<Pending<I, O>> batch) {
        if (batch.size() > 1) {
            try {
                List<O> all = store.fromTransaction(s -> {
                    List<O> list = new ArrayList<>(batch.size());
                    for (Pending<I, O> p : batch) list.add(work.apply(s, p.item()));
                    return list;
                });
                for (int i = 0; i < batch.size(); i++) batch.get(i).done().complete(all.get(i));
                return;
            } catch (RuntimeException e) {
                LOG.debug("A shared commit of {} items failed; committing them one by one: {}", batch.size(), e.toString());
            }
        }
        for (Pending<I, O> p : batch) {
            try {
                p.done().complete(alone.apply(p.item()));
            } catch (RuntimeException | Error e) {
                p.done().completeExceptionally(e);
            }
        }
    }
}
