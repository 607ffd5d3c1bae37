package org.radloop.ingest;

import java.time.Duration;
import java.time.Instant;
import org.radloop.config.RadLoopSettings;

/**
 * When to try a failed transfer to a PACS again: exponential backoff from {@code initial}, doubling
 * per attempt up to {@code max}, for at most {@code maxAttempts} attempts; after the last one the work
 * is FAILED and waits for an analyst's retry. Read from {@code <prefix>.retry.initial.ms},
 * {@code .retry.max.ms} and {@code .retry.max.attempts}.
 */
public record RetryPolicy(Duration initial, Duration max, int maxAttempts) {

    public static RetryPolicy from(RadLoopSettings settings, String prefix, RetryPolicy defaults) {
        return new RetryPolicy(
                Duration.ofMillis(settings.getLong(prefix + ".retry.initial.ms", defaults.initial().toMillis())),
                Duration.ofMillis(settings.getLong(prefix + ".retry.max.ms", defaults.max().toMillis())),
                settings.getInt(prefix + ".retry.max.attempts", defaults.maxAttempts()));
    }

    /**
     * @param attemptsMade attempts made so far, the failed one included
     * @return when to try again, or null when the attempts are used up
     */
    public Instant nextAttempt(int attemptsMade, Instant now) {
        if (attemptsMade >= maxAttempts) return null;
        long factor = 1L << Math.min(Math.max(attemptsMade - 1, 0), 30);
        long ms = initial.toMillis() > max.toMillis() / factor ? max.toMillis() : initial.toMillis() * factor;
        return now.plusMillis(Math.min(ms, max.toMillis()));
    }
}
