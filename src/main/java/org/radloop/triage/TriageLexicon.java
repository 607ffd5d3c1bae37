package org.radloop.triage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.config.YamlDocument;

/**
 * {@code mappings/triage-lexicon.yaml}: the clinical topics that make a study urgent and the points
 * for order priority and patient class, compiled once into patterns. Read through the schema
 * validator, so a broken lexicon is refused with file, line and field.
 */
public final class TriageLexicon {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TopicFile(int points, List<String> terms, List<String> icd10, List<String> protocols) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PatientClassFile(int points, String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LexiconFile(Map<String, TopicFile> topics, Map<String, Integer> orderPriority,
                       Map<String, PatientClassFile> patientClass, List<String> emergencyLocations) {
    }

    /** A topic compiled: whole-word term patterns, ICD-10 prefixes, protocol patterns. */
    public record Topic(String name, int points, List<Pattern> terms, List<String> icd10Prefixes, List<Pattern> protocols) {
    }

    public record PatientClass(String code, int points, String name) {
    }

    private final List<Topic> topics;
    private final Map<String, Integer> orderPriority;
    private final Map<String, PatientClass> patientClasses;
    private final List<Pattern> emergencyLocations;

    private TriageLexicon(List<Topic> topics, Map<String, Integer> orderPriority, Map<String, PatientClass> patientClasses,
                          List<Pattern> emergencyLocations) {
        this.topics = topics;
        this.orderPriority = orderPriority;
        this.patientClasses = patientClasses;
        this.emergencyLocations = emergencyLocations;
    }

    public static TriageLexicon read(SchemaValidator validator, Path file) {
        YamlDocument doc = validator.readValid(file, "triage-lexicon");
        LexiconFile f = doc.as(LexiconFile.class);
        List<ConfigProblem> problems = new ArrayList<>();
        List<Topic> topics = new ArrayList<>();
        f.topics().forEach((name, t) -> {
            List<Pattern> terms = new ArrayList<>();
            for (String term : nz(t.terms())) {
                // Whole words only: "PE" must not match "type", "bleed" must match "bleed?" and "bleeding" must be listed.
                terms.add(Pattern.compile("(?<![\\p{Alnum}])" + Pattern.quote(term).replace(" ", "\\E\\s+\\Q") + "(?![\\p{Alnum}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
            }
            List<Pattern> protocols = new ArrayList<>();
            List<String> raw = nz(t.protocols());
            for (int i = 0; i < raw.size(); i++) {
                try {
                    protocols.add(Pattern.compile(raw.get(i), Pattern.CASE_INSENSITIVE));
                } catch (PatternSyntaxException e) {
                    problems.add(new ConfigProblem(file, doc.lineOf("/topics/" + name + "/protocols/" + i),
                            "topics." + name + ".protocols[" + i + "]", "is not a valid regular expression: " + e.getDescription()));
                }
            }
            List<String> icd = nz(t.icd10()).stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
            topics.add(new Topic(name, t.points(), List.copyOf(terms), icd, List.copyOf(protocols)));
        });
        List<Pattern> locations = new ArrayList<>();
        List<String> rawLocations = nz(f.emergencyLocations());
        for (int i = 0; i < rawLocations.size(); i++) {
            try {
                locations.add(Pattern.compile(rawLocations.get(i), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                problems.add(new ConfigProblem(file, doc.lineOf("/emergencyLocations/" + i), "emergencyLocations[" + i + "]",
                        "is not a valid regular expression: " + e.getDescription()));
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        Map<String, PatientClass> classes = new LinkedHashMap<>();
        if (f.patientClass() != null) {
            f.patientClass().forEach((code, c) -> classes.put(code.toUpperCase(Locale.ROOT),
                    new PatientClass(code.toUpperCase(Locale.ROOT), c.points(), c.name())));
        }
        return new TriageLexicon(List.copyOf(topics), f.orderPriority() == null ? Map.of() : Map.copyOf(f.orderPriority()),
                Map.copyOf(classes), List.copyOf(locations));
    }

    private static List<String> nz(List<String> l) {
        return l == null ? List.of() : l;
    }

    public List<Topic> topics() {
        return topics;
    }

    public int orderPriorityPoints(String priority) {
        if (priority == null) return 0;
        return orderPriority.getOrDefault(priority.trim().toUpperCase(Locale.ROOT), 0);
    }

    public PatientClass patientClass(String code) {
        if (code == null || code.isBlank()) return null;
        return patientClasses.get(code.trim().toUpperCase(Locale.ROOT));
    }

    public boolean isEmergencyLocation(String location) {
        if (location == null || location.isBlank()) return false;
        return emergencyLocations.stream().anyMatch(p -> p.matcher(location).find());
    }

    /** The patient class that counts as the emergency department, when the lexicon has one named so. */
    public PatientClass emergencyClass() {
        return patientClasses.values().stream().filter(c -> c.name().equalsIgnoreCase("emergency")).findFirst().orElse(null);
    }
}
