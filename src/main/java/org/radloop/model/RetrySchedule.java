package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * The retry bookkeeping of work owed to a PACS (a forwarding task, a prior search): how many attempts
 * were made, when the next one is due and why the last one failed. Embedded in each entity on its own
 * {@code attempts}, {@code next_attempt_at} and {@code last_error} columns; the entity keeps its own
 * states and decides what a failure means for them, this only keeps the counts and the reason.
 */
@Embeddable
public class RetrySchedule {

    /** The width of the {@code last_error} columns (V6); a longer reason is cut to fit. */
    static final int MAX_ERROR = 1000;

    @Column(name = "attempts", nullable = false)
    private int attempts;
    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;
    @Column(name = "last_error")
    private String lastError;

    protected RetrySchedule() {
    }

    /** No attempt made yet; the first is due at {@code dueAt}. */
    RetrySchedule(Instant dueAt) {
        this.nextAttemptAt = dueAt;
    }

    public int getAttempts() { return attempts; }
    public Instant getNextAttemptAt() { return nextAttemptAt; }
    public String getLastError() { return lastError; }

    /** An attempt begins. */
    void started() {
        attempts++;
    }

    /** Not due again before {@code at} (a lease held while the attempt runs). */
    void dueAt(Instant at) {
        nextAttemptAt = at;
    }

    /** The work is done: no failure to report any more. */
    void succeeded() {
        lastError = null;
    }

    /**
     * A failed attempt: due again at {@code retryAt}, or, when that is null (attempts used up), left
     * with its last due time for the record.
     */
    void failed(String error, Instant retryAt) {
        if (retryAt != null) nextAttemptAt = retryAt;
        lastError = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 3) + "...";
    }

    /** An analyst asked for it again: a fresh set of attempts, due now. The last error stays until one succeeds. */
    void restart(Instant now) {
        attempts = 0;
        nextAttemptAt = now;
    }
}
