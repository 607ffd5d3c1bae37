package org.radloop.qc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.radloop.config.ConfiguredDuration;
import org.radloop.config.SchemaValidator;

/**
 * The critical findings ({@code mappings/critical-findings.yaml}) with their ACR category and the
 * deadline of each category ({@code conf/critical-results.yaml}), both schema-validated.
 */
public final class CriticalLexicon {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EntryFile(String name, int category, List<String> terms, List<String> aiLabels, List<String> codes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FindingsFile(Map<String, EntryFile> findings) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CategoryFile(String name, String acknowledgeWithin) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DeadlinesFile(Map<String, CategoryFile> categories, List<String> knownFindingTerms) {
    }

    /** A critical finding of the lexicon. */
    public record Entry(String id, String name, int category, List<String> terms, List<String> aiLabels, List<String> codes) {
    }

    /** An ACR category and the time allowed to communicate it. */
    public record Category(int number, String name, Duration deadline) {
    }

    private final Map<String, Entry> entries;
    private final Map<Integer, Category> categories;
    private final PhraseMatcher matcher;
    private final PhraseMatcher known;

    private CriticalLexicon(Map<String, Entry> entries, Map<Integer, Category> categories, List<String> knownTerms) {
        this.entries = entries;
        this.categories = categories;
        Map<String, List<String>> terms = new LinkedHashMap<>();
        entries.values().forEach(e -> terms.put(e.id(), e.terms()));
        this.matcher = PhraseMatcher.of(terms, false);
        this.known = PhraseMatcher.of("known", knownTerms, false);
    }

    public static CriticalLexicon read(SchemaValidator validator, Path findingsFile, Path deadlinesFile) {
        FindingsFile f = validator.readValid(findingsFile, "critical-findings").as(FindingsFile.class);
        DeadlinesFile d = validator.readValid(deadlinesFile, "critical-results").as(DeadlinesFile.class);
        Map<String, Entry> entries = new LinkedHashMap<>();
        f.findings().forEach((id, e) -> entries.put(id, new Entry(id, e.name(), e.category(), e.terms(),
                QcLexicon.nz(e.aiLabels()), QcLexicon.nz(e.codes()))));
        Map<Integer, Category> categories = new LinkedHashMap<>();
        d.categories().forEach((k, c) -> categories.put(Integer.parseInt(k), new Category(Integer.parseInt(k), c.name(), ConfiguredDuration.parse(c.acknowledgeWithin()))));
        return new CriticalLexicon(entries, categories, QcLexicon.nz(d.knownFindingTerms()));
    }


    public Entry entry(String id) {
        return entries.get(id);
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Category category(int n) {
        return categories.get(n);
    }

    PhraseMatcher matcher() {
        return matcher;
    }

    PhraseMatcher knownTerms() {
        return known;
    }
}
