package org.radloop.model;

import java.sql.SQLException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a failed transaction says about the other transactions beside it, on H2 and on PostgreSQL.
 * Two kinds of failure are not the request's fault and are answered differently by the stages: a
 * lost race (run the whole transaction again: it then sees the winner's commit) and a lock held too
 * long by someone else (retry later, or tell the sender the record is busy). Everything is read from
 * the cause chain, by exception type and by SQLState, never by message text.
 */
public final class DatabaseContention {

    private DatabaseContention() {
    }

    /**
     * Another transaction changed the same rows first: a unique key it took (23xxx), a deadlock or
     * serialization failure (40001, 40P01), a row version that moved on.
     */
    public static boolean lostRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || t instanceof java.sql.SQLIntegrityConstraintViolationException
                    // Hibernate's name for a deadlock (40P01 on PostgreSQL, 40001 on H2)
                    || t instanceof org.hibernate.exception.LockAcquisitionException
                    || t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof org.hibernate.StaleStateException) return true;
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && (state.startsWith("23") || state.equals("40001") || state.equals("40P01"))) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** Another transaction held a row this one needed for longer than the lock timeout (H2 HYT00, PostgreSQL 55P03). */
    public static boolean lockTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof org.hibernate.PessimisticLockException
                    || t instanceof org.hibernate.exception.LockTimeoutException) return true;
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if ("HYT00".equals(state) || "55P03".equals(state)) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** Either of the two: the same transaction, run again a moment later, may well succeed. */
    public static boolean isTransient(Throwable e) {
        return lostRace(e) || lockTimedOut(e);
    }

    /** What happens between a failed attempt and the next: a wait, a log line, or nothing. */
    @FunctionalInterface
    public interface BeforeRerun {
        void before(int failedAttempt, RuntimeException e) throws InterruptedException;
    }

    /**
     * Runs {@code work} (a whole transaction) until it succeeds, up to {@code attempts} times, while
     * what it throws is one {@code transientFailure} accepts: the loser of a race sees the winner's
     * commit on its next run. Anything else, and the last failure, is thrown.
     *
     * @param beforeRerun run before each rerun; interrupted, it ends the retries with the failure in hand
     */
    public static <T> T retry(int attempts, Predicate<Throwable> transientFailure, Supplier<T> work, BeforeRerun beforeRerun) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !transientFailure.test(e)) throw e;
                try {
                    beforeRerun.before(attempt, e);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
