package org.radloop.delivery;

import org.radloop.config.ConfiguredDuration;
import org.radloop.config.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * {@code conf/critical-results.yaml}: how long the first step has for each ACR category, how long a
 * link works, and how often a failed notification is tried again.
 *
 * @param firstStepDeadlines ACR category (1, 2, 3) to the time the ordering clinician has to acknowledge
 */
record CriticalResultPolicy(Map<Integer, Duration> firstStepDeadlines, Map<Integer, String> categoryNames,
                            Duration linkValidity, int sendAttempts, Duration retryAfter) {

    /** Used until a valid file was read, so that a missing or broken file never stops notifications. */
    static final CriticalResultPolicy DEFAULT = new CriticalResultPolicy(
            Map.of(1, Duration.ofMinutes(15), 2, Duration.ofHours(4), 3, Duration.ofDays(3)),
            Map.of(1, "Critical", 2, "Urgent", 3, "Significant"),
            Duration.ofDays(7), 3, Duration.ofSeconds(30));

    static CriticalResultPolicy from(JsonNode root) {
        Map<Integer, Duration> deadlines = new java.util.HashMap<>();
        Map<Integer, String> names = new java.util.HashMap<>();
        for (int c = 1; c <= 3; c++) {
            JsonNode cat = root.path("categories").path(Integer.toString(c));
            deadlines.put(c, ConfiguredDuration.parse(cat.path("acknowledgeWithin").asText()));
            names.put(c, cat.path("name").asText(DEFAULT.categoryNames.get(c)));
        }
        JsonNode send = root.path("send");
        return new CriticalResultPolicy(Map.copyOf(deadlines), Map.copyOf(names),
                root.hasNonNull("linkValidity") ? ConfiguredDuration.parse(root.get("linkValidity").asText()) : DEFAULT.linkValidity,
                send.path("attempts").asInt(DEFAULT.sendAttempts),
                send.hasNonNull("retryAfter") ? ConfiguredDuration.parse(send.get("retryAfter").asText()) : DEFAULT.retryAfter);
    }

    Duration firstStepDeadline(int category) {
        return firstStepDeadlines.get(category);
    }

    /** Doubling from {@code retryAfter}; the cap at ten doublings keeps a file with many attempts from waiting without bound. */
    RetryPolicy retries() {
        return RetryPolicy.doubling(retryAfter, retryAfter.multipliedBy(1024), sendAttempts);
    }

    /** The wait before attempt {@code attemptsSoFar + 1}; null when no attempt is left. */
    Duration retryDelay(int attemptsSoFar) {
        RetryPolicy retries = retries();
        return retries.exhausted(attemptsSoFar) ? null : retries.delayAfter(attemptsSoFar);
    }
}
