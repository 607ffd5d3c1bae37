package org.radloop.ingest;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Several associations may deliver instances of the same study at once, and several nodes may sweep
 * the same studies: two transactions then race to insert the same study row or lock the same rows.
 * The loser sees a unique-key violation, a deadlock or a lock timeout; running its whole transaction
 * again finds the winner's row and carries on.
 */
final class TransientFailures {

    private static final int ATTEMPTS = 6;

    private TransientFailures() {
    }

    static <T> T retry(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) throw e;
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InstanceRefusedException) return false;
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || t instanceof org.hibernate.exception.LockAcquisitionException
                    || t instanceof org.hibernate.PessimisticLockException
                    || t instanceof PessimisticLockException || t instanceof OptimisticLockException
                    || t instanceof org.hibernate.StaleStateException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 23xxx integrity (unique key race), 40xxx serialization failure / deadlock, HYT00 H2 lock timeout
                if (state.startsWith("23") || state.startsWith("40") || state.equals("HYT00")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }
}
