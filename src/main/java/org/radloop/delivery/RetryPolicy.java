package org.radloop.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How a channel retries when its destination does not answer: exponential backoff from
 * {@code initialDelay}, multiplied by {@code multiplier} after each attempt, capped at
 * {@code maxDelay}; after {@code maxAttempts} attempts the delivery is DEAD and an alert is raised.
 * A refusal (AE/AR, HTTP 4xx, DICOM failure status) is never retried.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofSeconds(30), 2.0, Duration.ofHours(1));

    /** From a channel's {@code retry:} block; missing values keep the default. */
    public static RetryPolicy from(JsonNode retry) {
        if (retry == null || retry.isMissingNode() || retry.isNull()) return DEFAULT;
        return new RetryPolicy(
                retry.path("maxAttempts").asInt(DEFAULT.maxAttempts),
                Duration.ofMillis((long) (retry.path("initialDelaySeconds").asDouble(DEFAULT.initialDelay.toMillis() / 1000.0) * 1000)),
                retry.path("multiplier").asDouble(DEFAULT.multiplier),
                Duration.ofMillis((long) (retry.path("maxDelaySeconds").asDouble(DEFAULT.maxDelay.toMillis() / 1000.0) * 1000)));
    }

    /** The wait after the given attempt (1 = the first attempt failed). */
    public Duration delayAfter(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
