package org.radloop.ingest;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.radloop.model.DatabaseContention;

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
        // jittered, so that two racing losers do not collide again on their next run
        return DatabaseContention.retry(ATTEMPTS, TransientFailures::isTransient, work,
                (attempt, e) -> Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt)));
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InstanceRefusedException) return false;
        }
        return DatabaseContention.isTransient(e);
    }
}
