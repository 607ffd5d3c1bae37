package org.radloop.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * How work retries when its peer does not answer: exponential backoff from {@code initialDelay},
 * multiplied by {@code multiplier} after each attempt, capped at {@code maxDelay}, for at most
 * {@code maxAttempts} attempts. A delivery channel reads it from its {@code retry:} block (after the
 * last attempt the delivery is DEAD and an alert is raised; a refusal such as AE/AR, HTTP 4xx or a
 * DICOM failure status is never retried); forwarding to a PACS and prior searches read it from
 * settings, doubling each time (after the last attempt the work is FAILED and waits for an analyst).
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofSeconds(30), 2.0, Duration.ofHours(1));

    /** Doubling from {@code initialDelay} up to {@code maxDelay}, as forwarding and prior searches retry. */
    public static RetryPolicy doubling(Duration initialDelay, Duration maxDelay, int maxAttempts) {
        return new RetryPolicy(maxAttempts, initialDelay, 2.0, maxDelay);
    }

    /** From a channel's {@code retry:} block; missing values keep the default. */
    public static RetryPolicy from(JsonNode retry) {
        if (retry == null || retry.isMissingNode() || retry.isNull()) return DEFAULT;
        return new RetryPolicy(
                retry.path("maxAttempts").asInt(DEFAULT.maxAttempts),
                Duration.ofMillis((long) (retry.path("initialDelaySeconds").asDouble(DEFAULT.initialDelay.toMillis() / 1000.0) * 1000)),
                retry.path("multiplier").asDouble(DEFAULT.multiplier),
                Duration.ofMillis((long) (retry.path("maxDelaySeconds").asDouble(DEFAULT.maxDelay.toMillis() / 1000.0) * 1000)));
    }

    /**
     * From {@code <prefix>.retry.initial.ms}, {@code .retry.max.ms} and {@code .retry.max.attempts};
     * missing values keep {@code defaults}.
     */
    public static RetryPolicy from(RadLoopSettings settings, String prefix, RetryPolicy defaults) {
        return new RetryPolicy(
                settings.getInt(prefix + ".retry.max.attempts", defaults.maxAttempts()),
                Duration.ofMillis(settings.getLong(prefix + ".retry.initial.ms", defaults.initialDelay().toMillis())),
                defaults.multiplier(),
                Duration.ofMillis(settings.getLong(prefix + ".retry.max.ms", defaults.maxDelay().toMillis())));
    }

    /** The wait after the given attempt (1 = the first attempt failed). */
    public Duration delayAfter(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /**
     * @param attemptsMade attempts made so far, the failed one included
     * @return when to try again, or null when the attempts are used up
     */
    public Instant nextAttempt(int attemptsMade, Instant now) {
        return exhausted(attemptsMade) ? null : now.plus(delayAfter(attemptsMade));
    }
}
