package org.radloop.model;

import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * Sending one due row (an on-call page, a critical-result notification) to the outside world, so
 * that several nodes never send it twice and a slow peer never holds its row: the row is locked and
 * claimed for {@link #IN_FLIGHT} in one transaction, sent with no transaction open (an
 * acknowledgement or a claim arriving meanwhile needs that row), and its outcome written under the
 * lock again in a second transaction, which reads whatever changed while the send was out.
 */
public final class ClaimedSend {

    /** How long a claimed row stays with its sender before another pass may take it again. */
    public static final Duration IN_FLIGHT = Duration.ofMinutes(2);

    private ClaimedSend() {
    }

    /** Checks the locked row is still to be sent and claims it; null when it is not to be sent. */
    @FunctionalInterface
    public interface Claim<E, C> {
        C claim(Session s, E row);
    }

    /** Writes what the send did, with the row locked again. */
    @FunctionalInterface
    public interface Record<E, O, R> {
        R record(Session s, E row, O outcome);
    }

    /**
     * @param failed told of whatever went wrong on the way (a lock timed out, a peer threw); each
     *               caller decides what that is worth in its log, and the row is left for the next pass
     * @return what {@code record} gave, or null when the row was not claimed or {@code failed} was called
     */
    public static <E, C, O, R> R send(Store store, Class<E> type, long id, Claim<E, C> claim, Function<C, O> send,
                                      Record<E, O, R> record, BiConsumer<Long, RuntimeException> failed) {
        try {
            C claimed = store.fromTransaction(s -> {
                E row = s.find(type, id, LockModeType.PESSIMISTIC_WRITE);
                return row == null ? null : claim.claim(s, row);
            });
            if (claimed == null) return null;
            O outcome = send.apply(claimed);
            return store.fromTransaction(s -> record.record(s, s.find(type, id, LockModeType.PESSIMISTIC_WRITE), outcome));
        } catch (RuntimeException e) {
            failed.accept(id, e);
            return null;
        }
    }
}
