package org.radloop.qc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/** A rule's {@code parameters} block, with the defaults the rule documents when a key is left out. */
public final class RuleParameters {
    private final JsonNode node;

    public RuleParameters(JsonNode node) {
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    public static RuleParameters none() {
        return new RuleParameters(null);
    }

    public String string(String key, String dflt) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    public double number(String key, double dflt) {
        JsonNode v = node.get(key);
        return v == null || !v.isNumber() ? dflt : v.asDouble();
    }

    public int integer(String key, int dflt) {
        JsonNode v = node.get(key);
        return v == null || !v.isNumber() ? dflt : v.asInt();
    }

    public boolean bool(String key, boolean dflt) {
        JsonNode v = node.get(key);
        return v == null || !v.isBoolean() ? dflt : v.asBoolean();
    }

    public List<String> strings(String key, List<String> dflt) {
        JsonNode v = node.get(key);
        if (v == null || !v.isArray()) return dflt;
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }
}
