package org.radloop.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.radloop.config.FacilityConfig;
import org.radloop.config.RetryPolicy;

/**
 * One entry of a facility's {@code delivery:} list: which channel, its own name (unique within the
 * facility; the channel type when not given), whether it is on, its connection settings and its
 * retry policy. The JSON Schema has already checked the settings each channel type needs.
 */
public record DeliveryChannel(String name, ChannelType type, boolean enabled, JsonNode settings, RetryPolicy retry) {

    /** The facility's channels in file order; a second entry with the same name is ignored. */
    public static List<DeliveryChannel> of(FacilityConfig facility) {
        List<DeliveryChannel> channels = new ArrayList<>();
        if (facility.delivery() == null) return channels;
        Set<String> names = new HashSet<>();
        for (JsonNode entry : facility.delivery()) {
            ChannelType type = ChannelType.fromYaml(entry.path("channel").asText());
            String name = entry.hasNonNull("name") ? entry.get("name").asText() : type.yamlName();
            if (!names.add(name)) continue;
            channels.add(new DeliveryChannel(name, type, entry.path("enabled").asBoolean(true), entry,
                    RetryPolicy.from(entry.get("retry"))));
        }
        return channels;
    }

    public String text(String field, String fallback) {
        JsonNode v = settings.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? fallback : v.asText();
    }

    public int integer(String field, int fallback) {
        JsonNode v = settings.get(field);
        return v == null || v.isNull() ? fallback : v.asInt(fallback);
    }

    public boolean flag(String field, boolean fallback) {
        JsonNode v = settings.get(field);
        return v == null || v.isNull() ? fallback : v.asBoolean(fallback);
    }

    /**
     * A secret: {@code <field>Env} names an environment variable (so that the YAML holds no password),
     * else the value of {@code <field>} itself.
     */
    public String secret(String field) {
        String env = text(field + "Env", null);
        if (env != null) {
            String value = System.getenv(env);
            if (value == null) throw new PermanentDeliveryException("environment variable " + env + " (" + field + ") is not set");
            return value;
        }
        return text(field, null);
    }

    public List<String> list(String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = settings.get(field);
        if (v == null || v.isNull()) return out;
        if (v.isArray()) v.forEach(x -> out.add(x.asText()));
        else out.add(v.asText());
        return out;
    }
}
