package org.radloop.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The radiologists from {@code conf/radiologists.yaml}. {@link #reload()} reads the file again when it
 * changed: a valid file replaces the roster at once, an invalid one is refused with file, line and
 * field, and the roster in force stays (so a typo never leaves the department with nobody to read).
 */
public final class RadiologistRoster {

    private static final Logger LOG = LoggerFactory.getLogger(RadiologistRoster.class);

    /** One loaded roster; replaced whole, never changed in place, so a reader sees one consistent version. */
    public record Snapshot(Map<String, RadiologistConfig> byId, RoutingPolicy policy) {
        public List<RadiologistConfig> all() {
            return List.copyOf(byId.values());
        }
    }

    private final Path file;
    private final SchemaValidator validator;
    private volatile Snapshot current = new Snapshot(Map.of(), RoutingPolicy.defaults());
    private volatile List<ConfigProblem> refused = List.of();
    private FileTime seen;

    public RadiologistRoster(RadLoopSettings settings) {
        this(settings.confDir().resolve("radiologists.yaml"), new SchemaValidator(settings.confDir().resolve("schemas")));
    }

    public RadiologistRoster(Path file, SchemaValidator validator) {
        this.file = file;
        this.validator = validator;
    }

    /** @return the problems when the changed file was refused, else empty */
    public synchronized List<ConfigProblem> reload() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return List.of();
        }
        if (modified.equals(seen)) return List.of();
        seen = modified;
        try {
            current = load(file, validator);
            refused = List.of();
            LOG.info("Roster loaded from {}: {} radiologists", file.getFileName(), current.byId().size());
            return List.of();
        } catch (ConfigException e) {
            refused = e.problems();
            LOG.error("Refused roster, the previous one stays in force:\n{}", e.getMessage());
            return e.problems();
        }
    }

    /** Reads and checks a roster file without applying it (also used by {@code config validate}). */
    public static Snapshot load(Path file, SchemaValidator validator) {
        YamlDocument doc = validator.readValid(file, "radiologists");
        Map<String, RadiologistConfig> byId = new LinkedHashMap<>();
        Map<String, Integer> firstAt = new HashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        JsonNode list = doc.root().path("radiologists");
        for (int i = 0; i < list.size(); i++) {
            RadiologistConfig r;
            try {
                r = YamlDocument.YAML.treeToValue(list.get(i), RadiologistConfig.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add(new ConfigProblem(file, doc.lineOf("/radiologists/" + i), "radiologists[" + i + "]", e.getOriginalMessage()));
                continue;
            }
            try {
                java.time.ZoneId.of(r.timeZone());
            } catch (RuntimeException e) {
                problems.add(new ConfigProblem(file, doc.lineOf("/radiologists/" + i + "/timeZone"), "radiologists[" + i + "].timeZone",
                        "'" + r.timeZone() + "' is not a known IANA time zone"));
            }
            if (firstAt.containsKey(r.id())) {
                problems.add(new ConfigProblem(file, doc.lineOf("/radiologists/" + i + "/id"), "radiologists[" + i + "].id",
                        "'" + r.id() + "' is already used by radiologists[" + firstAt.get(r.id()) + "]"));
                continue;
            }
            firstAt.put(r.id(), i);
            byId.put(r.id(), r);
        }
        RoutingPolicy policy = doc.root().has("policy") ? doc.as(PolicyHolder.class).policy() : RoutingPolicy.defaults();
        if (policy == null) policy = RoutingPolicy.defaults();
        checkOnCall(file, doc, policy, byId, problems);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new Snapshot(java.util.Collections.unmodifiableMap(byId), policy);
    }

    /** Every on-call entry must be reachable by a channel it asks for, and name a radiologist who exists. */
    private static void checkOnCall(Path file, YamlDocument doc, RoutingPolicy policy, Map<String, RadiologistConfig> byId,
                                    List<ConfigProblem> problems) {
        List<RoutingPolicy.OnCallContact> chain = policy.onCall();
        for (int i = 0; i < chain.size(); i++) {
            RoutingPolicy.OnCallContact c = chain.get(i);
            String at = "/policy/onCall/" + i;
            String field = "policy.onCall[" + i + "]";
            if (c.radiologist() != null && !byId.containsKey(c.radiologist())) {
                problems.add(new ConfigProblem(file, doc.lineOf(at + "/radiologist"), field + ".radiologist",
                        "'" + c.radiologist() + "' is not a radiologist of this roster"));
            }
            if (c.email() == null && c.pager() == null) {
                problems.add(new ConfigProblem(file, doc.lineOf(at), field,
                        "'" + c.name() + "' has neither email nor pager: the on-call page could not reach them"));
                continue;
            }
            for (int k = 0; k < c.channels().size(); k++) {
                String ch = c.channels().get(k);
                if ((ch.equals("email") && c.email() == null) || (ch.equals("sms") && c.pager() == null)) {
                    problems.add(new ConfigProblem(file, doc.lineOf(at + "/channels/" + k), field + ".channels[" + k + "]",
                            "'" + ch + "' is asked for but '" + c.name() + "' has no " + (ch.equals("sms") ? "pager" : "email")));
                }
            }
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record PolicyHolder(RoutingPolicy policy) {
    }

    public Snapshot current() {
        return current;
    }

    public Optional<RadiologistConfig> byId(String id) {
        return Optional.ofNullable(current.byId().get(id));
    }

    /** The problems of the file's last refused change; empty when the file in force is the one on disk. */
    public List<ConfigProblem> refused() {
        return refused;
    }

    public Path file() {
        return file;
    }
}
