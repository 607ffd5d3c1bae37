package org.radloop.qc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.config.YamlDocument;

/**
 * {@code mappings/qc-lexicon.yaml}: the words the quality check reads reports with (sides, negation
 * triggers, sex-specific anatomy, regions, findings, measurement subjects and ranges), read through
 * the schema validator so a broken lexicon is refused with file, line and field.
 */
public final class QcLexicon {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LateralityFile(List<String> left, List<String> right, List<String> bilateral, List<String> fixedAnatomy,
                          List<String> contralateralPhrases) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NegationFile(Integer maxScopeWords, List<String> pre, List<String> post, List<String> pseudo, List<String> terminators) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SexFile(List<String> female, List<String> male) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FindingFile(List<String> terms, List<String> regions, boolean significant, List<String> related,
                       List<String> aiLabels, List<String> codes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UnitFile(String quantity, double factor) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RangeFile(double min, double max) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SubjectFile(List<String> terms, String quantity, double min, double max, boolean lesion) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MeasurementsFile(Map<String, UnitFile> units, Map<String, RangeFile> plausible, Map<String, SubjectFile> subjects) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LexiconFile(LateralityFile laterality, NegationFile negation, SexFile sexSpecificAnatomy, List<String> normalTerms,
                       Map<String, List<String>> regions, Map<String, FindingFile> findings, MeasurementsFile measurements,
                       List<String> historicalTerms) {
    }

    /** A finding the report can affirm or deny. */
    public record Concept(String id, List<String> terms, List<String> regions, boolean significant, List<String> related,
                          List<String> aiLabels, List<String> codes) {
        /** The concept's own words for explanations: its first term. */
        public String name() {
            return terms.get(0);
        }
    }

    public record Unit(String name, String quantity, double factor) {
    }

    public record Range(double min, double max) {
        public boolean contains(double v) {
            return v >= min && v <= max;
        }
    }

    public record Subject(String id, List<String> terms, String quantity, Range range, boolean lesion) {
    }

    private final LexiconFile file;
    private final Map<String, Concept> concepts;
    private final NegationDetector negation;
    private final SideDetector sides;
    private final PhraseMatcher findingMatcher;
    private final PhraseMatcher regionMatcher;
    private final PhraseMatcher normalMatcher;
    private final PhraseMatcher historicalMatcher;
    private final PhraseMatcher femaleAnatomy;
    private final PhraseMatcher maleAnatomy;
    private final PhraseMatcher contralateral;
    private final PhraseMatcher subjectMatcher;
    private final Map<String, Unit> units;
    private final Map<String, Range> plausible;
    private final Map<String, Subject> subjects;

    private QcLexicon(LexiconFile f, Map<String, Concept> concepts) {
        this.file = f;
        this.concepts = concepts;
        NegationFile n = f.negation();
        this.negation = new NegationDetector(n.pre(), n.post(), nz(n.pseudo()), nz(n.terminators()),
                n.maxScopeWords() == null ? 8 : n.maxScopeWords());
        LateralityFile l = f.laterality();
        this.sides = new SideDetector(l.left(), l.right(), l.bilateral(), nz(l.fixedAnatomy()));
        this.contralateral = PhraseMatcher.of("contra", nz(l.contralateralPhrases()), false);
        Map<String, List<String>> findingTerms = new LinkedHashMap<>();
        concepts.values().forEach(c -> findingTerms.put(c.id(), c.terms()));
        this.findingMatcher = PhraseMatcher.of(findingTerms, true);
        this.regionMatcher = PhraseMatcher.of(f.regions(), true);
        this.normalMatcher = PhraseMatcher.of("normal", f.normalTerms(), false);
        this.historicalMatcher = PhraseMatcher.of("old", nz(f.historicalTerms()), false);
        this.femaleAnatomy = PhraseMatcher.of("F", f.sexSpecificAnatomy().female(), true);
        this.maleAnatomy = PhraseMatcher.of("M", f.sexSpecificAnatomy().male(), true);
        Map<String, Unit> u = new LinkedHashMap<>();
        f.measurements().units().forEach((k, v) -> u.put(k.toLowerCase(Locale.ROOT), new Unit(k, v.quantity(), v.factor())));
        this.units = u;
        Map<String, Range> p = new LinkedHashMap<>();
        f.measurements().plausible().forEach((k, v) -> p.put(k, new Range(v.min(), v.max())));
        this.plausible = p;
        Map<String, Subject> s = new LinkedHashMap<>();
        Map<String, List<String>> subjectTerms = new LinkedHashMap<>();
        f.measurements().subjects().forEach((k, v) -> {
            s.put(k, new Subject(k, v.terms(), v.quantity(), new Range(v.min(), v.max()), v.lesion()));
            subjectTerms.put(k, v.terms());
        });
        this.subjects = s;
        this.subjectMatcher = PhraseMatcher.of(subjectTerms, true);
    }

    public static QcLexicon read(SchemaValidator validator, Path file) {
        YamlDocument doc = validator.readValid(file, "qc-lexicon");
        LexiconFile f = doc.as(LexiconFile.class);
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Concept> concepts = new LinkedHashMap<>();
        f.findings().forEach((id, c) -> concepts.put(id, new Concept(id, c.terms(), nz(c.regions()), c.significant(),
                nz(c.related()), nz(c.aiLabels()), nz(c.codes()))));
        // Cross-references the schema cannot see: a related finding or a region must exist.
        f.findings().forEach((id, c) -> {
            List<String> rel = nz(c.related());
            for (int i = 0; i < rel.size(); i++) {
                if (!concepts.containsKey(rel.get(i))) problems.add(new ConfigProblem(file, doc.lineOf("/findings/" + id + "/related/" + i),
                        "findings." + id + ".related[" + i + "]", "names no finding of this lexicon: " + rel.get(i)));
            }
            List<String> reg = nz(c.regions());
            for (int i = 0; i < reg.size(); i++) {
                if (!f.regions().containsKey(reg.get(i))) problems.add(new ConfigProblem(file, doc.lineOf("/findings/" + id + "/regions/" + i),
                        "findings." + id + ".regions[" + i + "]", "names no region of this lexicon: " + reg.get(i)));
            }
        });
        f.measurements().subjects().forEach((id, s) -> {
            if (!f.measurements().plausible().containsKey(s.quantity()))
                problems.add(new ConfigProblem(file, doc.lineOf("/measurements/subjects/" + id + "/quantity"),
                        "measurements.subjects." + id + ".quantity", "has no plausible range in measurements.plausible: " + s.quantity()));
        });
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new QcLexicon(f, concepts);
    }

    static List<String> nz(List<String> l) {
        return l == null ? List.of() : l;
    }

    public Map<String, Concept> concepts() {
        return concepts;
    }

    public Concept concept(String id) {
        return concepts.get(id);
    }

    public NegationDetector negation() {
        return negation;
    }

    public SideDetector sides() {
        return sides;
    }

    public PhraseMatcher findings() {
        return findingMatcher;
    }

    public PhraseMatcher regions() {
        return regionMatcher;
    }

    /** Words that make the finding after them old news ("old healed fracture"). */
    public PhraseMatcher historicalTerms() {
        return historicalMatcher;
    }

    public PhraseMatcher normalTerms() {
        return normalMatcher;
    }

    /** Anatomy of the given sex ("F" or "M"). */
    public PhraseMatcher anatomyOf(String sex) {
        return "F".equals(sex) ? femaleAnatomy : maleAnatomy;
    }

    public PhraseMatcher contralateralPhrases() {
        return contralateral;
    }

    public PhraseMatcher measurementSubjects() {
        return subjectMatcher;
    }

    public Map<String, Unit> units() {
        return units;
    }

    public Range plausible(String quantity) {
        return plausible.get(quantity);
    }

    public Subject subject(String id) {
        return subjects.get(id);
    }

    /** Two findings match when they are the same or one is listed as related to the other. */
    public boolean related(String a, String b) {
        if (a.equals(b)) return true;
        Concept ca = concepts.get(a);
        Concept cb = concepts.get(b);
        return (ca != null && ca.related().contains(b)) || (cb != null && cb.related().contains(a));
    }

    /** The finding an AI result names, by code, label or its text, or null. */
    public Concept conceptForAi(String label, String code, String text) {
        for (Concept c : concepts.values()) {
            if (code != null && c.codes().stream().anyMatch(code::equalsIgnoreCase)) return c;
        }
        for (Concept c : concepts.values()) {
            if (label != null && (c.id().equalsIgnoreCase(label) || c.aiLabels().stream().anyMatch(label::equalsIgnoreCase))) return c;
        }
        if (text != null) {
            List<PhraseMatcher.Match> m = findingMatcher.find(text);
            if (!m.isEmpty()) return concepts.get(m.get(0).key());
        }
        return null;
    }
}
