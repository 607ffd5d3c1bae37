package org.radloop.delivery;

import org.radloop.config.ConfiguredDuration;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.config.YamlDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The critical-results configuration as running: {@code conf/critical-results.yaml} (the policy) and
 * {@code conf/directory/*.yaml} (one clinician directory per facility).
 *
 * <p>Hot-reloaded like the facility files: {@link #reload()} looks at changed files only; a valid
 * one replaces what was running, an invalid one is refused with file, line and field (kept for the
 * API and logged) and the previous version stays in force, so a typo never stops escalation.
 */
public final class CriticalResultsConfig {

    private static final Logger LOG = LoggerFactory.getLogger(CriticalResultsConfig.class);

    private final Path policyFile;
    private final Path directoryDir;
    private final SchemaValidator validator;
    private volatile CriticalResultPolicy policy = CriticalResultPolicy.DEFAULT;
    private final Map<String, FacilityDirectory> directories = new ConcurrentHashMap<>();
    private final Map<Path, FileTime> seen = new ConcurrentHashMap<>();
    private final Map<Path, List<ConfigProblem>> refused = new ConcurrentHashMap<>();

    public CriticalResultsConfig(Path confDir) {
        this(confDir.resolve("critical-results.yaml"), confDir.resolve("directory"),
                new SchemaValidator(confDir.resolve("schemas")));
    }

    CriticalResultsConfig(Path policyFile, Path directoryDir, SchemaValidator validator) {
        this.policyFile = policyFile;
        this.directoryDir = directoryDir;
        this.validator = validator;
    }

    /** Reads what changed since the last call; returns the problems of files refused in this pass. */
    public synchronized List<ConfigProblem> reload() {
        List<ConfigProblem> now = new ArrayList<>();
        if (changed(policyFile)) {
            try {
                policy = CriticalResultPolicy.from(validator.readValid(policyFile, "critical-results").root());
                refused.remove(policyFile);
                LOG.info("Critical-results policy loaded from {}", policyFile.getFileName());
            } catch (ConfigException e) {
                refuse(policyFile, e, now);
            } catch (RuntimeException e) {
                refuse(policyFile, unreadable(policyFile, e), now);
            }
        }
        for (Path file : directoryFiles()) {
            if (!changed(file)) continue;
            try {
                FacilityDirectory d = read(file);
                FacilityDirectory clash = directories.get(d.facility());
                if (clash != null && !clash.file().equals(file)) {
                    throw new ConfigException(List.of(new ConfigProblem(file, 1, "facility",
                            "'" + d.facility() + "' already has a directory in " + clash.file().getFileName())));
                }
                directories.put(d.facility(), d);
                refused.remove(file);
                LOG.info("Clinician directory of {} loaded: {} people, {} escalation steps", d.facility(),
                        d.clinicians().size(), d.chain().size());
            } catch (ConfigException e) {
                refuse(file, e, now);
            } catch (RuntimeException e) {
                refuse(file, unreadable(file, e), now);
            }
        }
        return now;
    }

    /** Checks every file without applying anything (for {@code config validate}-style tools and tests). */
    public List<ConfigProblem> check() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (Files.isRegularFile(policyFile)) {
            try {
                validator.readValid(policyFile, "critical-results");
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        for (Path file : directoryFiles()) {
            try {
                read(file);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        return problems;
    }

    /** Anything else that goes wrong reading a file (a missing schema, say) refuses that file too. */
    private static ConfigException unreadable(Path file, RuntimeException e) {
        return new ConfigException(List.of(new ConfigProblem(file, 0, null, "cannot be checked: " + e.getMessage())));
    }

    private void refuse(Path file, ConfigException e, List<ConfigProblem> now) {
        refused.put(file, e.problems());
        now.addAll(e.problems());
        LOG.error("Refused critical-results configuration, the previous one stays in force:\n{}", e.getMessage());
    }

    private boolean changed(Path file) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return false;
        }
        return !modified.equals(seen.put(file, modified));
    }

    FacilityDirectory read(Path file) {
        YamlDocument doc = validator.readValid(file, "clinician-directory");
        JsonNode root = doc.root();
        List<ConfigProblem> problems = new ArrayList<>();
        String facility = root.path("facility").asText();
        String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!expected.equals(facility)) {
            problems.add(new ConfigProblem(file, doc.lineOf("/facility"), "facility",
                    "'" + facility + "' must match the file name '" + expected + "'"));
        }
        Map<String, Clinician> people = new LinkedHashMap<>();
        JsonNode list = root.path("clinicians");
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            List<String> channels = new ArrayList<>();
            c.path("channels").forEach(n -> channels.add(n.asText()));
            Clinician person = new Clinician(c.path("id").asText(), c.path("name").asText(), text(c, "email"),
                    text(c, "pager"), text(c, "phone"), text(c, "coveredBy"), List.copyOf(channels));
            if (people.put(person.id(), person) != null) {
                problems.add(new ConfigProblem(file, doc.lineOf("/clinicians/" + i + "/id"), "clinicians[" + i + "].id",
                        "'" + person.id() + "' is listed twice"));
            }
            if (person.email() == null && person.pager() == null) {
                problems.add(new ConfigProblem(file, doc.lineOf("/clinicians/" + i), "clinicians[" + i + "]",
                        "'" + person.id() + "' has neither email nor pager: nobody could reach them"));
            }
        }
        for (int i = 0; i < list.size(); i++) {
            String covering = text(list.get(i), "coveredBy");
            if (covering != null && !people.containsKey(covering)) {
                problems.add(new ConfigProblem(file, doc.lineOf("/clinicians/" + i + "/coveredBy"),
                        "clinicians[" + i + "].coveredBy", "'" + covering + "' is not a listed clinician"));
            }
        }
        List<EscalationStep> chain = new ArrayList<>();
        JsonNode steps = root.path("escalation");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            String named = text(s, "clinician");
            if (named != null && !people.containsKey(named)) {
                problems.add(new ConfigProblem(file, doc.lineOf("/escalation/" + i + "/clinician"),
                        "escalation[" + i + "].clinician", "'" + named + "' is not a listed clinician"));
            }
            chain.add(new EscalationStep(s.path("step").asText(), named, deadlines(s.get("acknowledgeWithin"))));
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        JsonNode email = root.path("email");
        JsonNode sms = root.path("sms");
        return new FacilityDirectory(facility, file, email.path("enabled").asBoolean(true), text(email, "from"),
                !sms.isMissingNode() && sms.path("enabled").asBoolean(true), text(sms, "webhookUrl"),
                root.path("links").path("confirm").asBoolean(false), Map.copyOf(people), List.copyOf(chain));
    }

    private static Map<Integer, Duration> deadlines(JsonNode node) {
        Map<Integer, Duration> out = new HashMap<>();
        if (node == null || node.isNull()) return out;
        if (node.isTextual()) {
            Duration d = ConfiguredDuration.parse(node.asText());
            for (int c = 1; c <= 3; c++) out.put(c, d);
        } else {
            node.fields().forEachRemaining(e -> out.put(Integer.parseInt(e.getKey()), ConfiguredDuration.parse(e.getValue().asText())));
        }
        return Map.copyOf(out);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private List<Path> directoryFiles() {
        if (!Files.isDirectory(directoryDir)) return List.of();
        try (Stream<Path> s = Files.list(directoryDir)) {
            return s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + directoryDir + ": " + e.getMessage(), e);
        }
    }

    CriticalResultPolicy policy() {
        return policy;
    }

    Optional<FacilityDirectory> directory(String facility) {
        return Optional.ofNullable(directories.get(facility));
    }

    /** Files refused on their last change, with why: they are not running. */
    public Map<Path, List<ConfigProblem>> refused() {
        return Map.copyOf(refused);
    }
}
