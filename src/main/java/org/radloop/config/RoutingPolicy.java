package org.radloop.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code policy} block of conf/radiologists.yaml: waits and limits per urgency, and the on-call chain. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoutingPolicy(Map<String, Integer> generalCoverAfterMinutes, Map<String, Integer> openWithinMinutes,
                            List<String> onCall) {

    private static final Map<String, Integer> COVER_DEFAULTS = Map.of("critical", 0, "urgent", 30, "routine", 120);
    private static final Map<String, Integer> OPEN_DEFAULTS = Map.of("critical", 5, "urgent", 30, "routine", 240);

    public static RoutingPolicy defaults() {
        return new RoutingPolicy(null, null, null);
    }

    /** How long a case of this urgency waits for a subspecialist before a general radiologist may take it. */
    public Duration generalCoverAfter(String urgency) {
        return minutes(generalCoverAfterMinutes, COVER_DEFAULTS, urgency);
    }

    /** How long an assigned case of this urgency may stay unopened before it goes to the next reader. */
    public Duration openWithin(String urgency) {
        return minutes(openWithinMinutes, OPEN_DEFAULTS, urgency);
    }

    public List<String> onCall() {
        return onCall == null ? List.of() : onCall;
    }

    private static Duration minutes(Map<String, Integer> given, Map<String, Integer> defaults, String urgency) {
        String key = urgency == null ? "routine" : urgency.toLowerCase(Locale.ROOT);
        Integer v = given == null ? null : given.get(key);
        if (v == null) v = defaults.getOrDefault(key, defaults.get("routine"));
        return Duration.ofMinutes(v);
    }
}
