package org.radloop.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code policy} block of conf/radiologists.yaml: waits and limits per urgency, and the on-call
 * chain paged (in order, one entry after another) when a critical case finds no qualified reader.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoutingPolicy(Map<String, Integer> generalCoverAfterMinutes, Map<String, Integer> openWithinMinutes,
                            List<OnCallContact> onCall, Integer onCallAnswerWithinMinutes) {

    /** How long the on-call person paged has to claim the case before the next one is paged (default). */
    public static final int ANSWER_WITHIN_DEFAULT = 10;

    /**
     * One entry of the on-call chain and how to reach them, by the channels critical results use:
     * email and the facility's SMS/pager gateway.
     *
     * @param radiologist the roster id when the on-call person is a radiologist of the roster (who
     *                    answers by claiming the case); null for a duty phone or a switchboard
     * @param channels    the channels to use ({@code email}, {@code sms}); empty: all that are given
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OnCallContact(String radiologist, String name, String email, String pager, List<String> channels) {
        public List<String> channels() {
            return channels == null ? List.of() : channels;
        }
    }

    private static final Map<String, Integer> COVER_DEFAULTS = Map.of("critical", 0, "urgent", 30, "routine", 120);
    private static final Map<String, Integer> OPEN_DEFAULTS = Map.of("critical", 5, "urgent", 30, "routine", 240);

    public static RoutingPolicy defaults() {
        return new RoutingPolicy(null, null, null, null);
    }

    /** How long a case of this urgency waits for a subspecialist before a general radiologist may take it. */
    public Duration generalCoverAfter(String urgency) {
        return minutes(generalCoverAfterMinutes, COVER_DEFAULTS, urgency);
    }

    /** How long an assigned case of this urgency may stay unopened before it goes to the next reader. */
    public Duration openWithin(String urgency) {
        return minutes(openWithinMinutes, OPEN_DEFAULTS, urgency);
    }

    public List<OnCallContact> onCall() {
        return onCall == null ? List.of() : onCall;
    }

    /** How long a paged on-call entry has to claim the case before the chain goes to the next entry. */
    public Duration onCallAnswerWithin() {
        return Duration.ofMinutes(onCallAnswerWithinMinutes == null ? ANSWER_WITHIN_DEFAULT : onCallAnswerWithinMinutes);
    }

    private static Duration minutes(Map<String, Integer> given, Map<String, Integer> defaults, String urgency) {
        String key = urgency == null ? "routine" : urgency.toLowerCase(Locale.ROOT);
        Integer v = given == null ? null : given.get(key);
        if (v == null) v = defaults.getOrDefault(key, defaults.get("routine"));
        return Duration.ofMinutes(v);
    }
}
