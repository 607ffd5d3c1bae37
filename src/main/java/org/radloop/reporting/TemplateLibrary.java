package org.radloop.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
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
 * The report templates of {@code mappings/templates/}. A template file is read again when it changes;
 * a refused change (schema, or id not matching the file name) keeps the template in force.
 */
public final class TemplateLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateLibrary.class);
    public static final String GENERIC = "generic";

    private final Path dir;
    private final SchemaValidator validator;
    private final Map<String, ReportTemplate> byId = new ConcurrentHashMap<>();
    private final Map<Path, FileTime> seen = new HashMap<>();
    private final Map<Path, List<ConfigProblem>> refused = new ConcurrentHashMap<>();

    public TemplateLibrary(Path dir, SchemaValidator validator) {
        this.dir = dir;
        this.validator = validator;
        reload();
    }

    public synchronized void reload() {
        if (!Files.isDirectory(dir)) return;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot list report templates in {}: {}", dir, e.getMessage());
            return;
        }
        for (Path f : files) {
            try {
                FileTime t = Files.getLastModifiedTime(f);
                if (t.equals(seen.get(f))) continue;
                seen.put(f, t);
                ReportTemplate template = load(f, validator);
                byId.put(template.id(), template);
                refused.remove(f);
            } catch (IOException e) {
                LOG.warn("Cannot read report template {}: {}", f, e.getMessage());
            } catch (ConfigException e) {
                refused.put(f, e.problems());
                LOG.error("Refused report template, the previous one stays in force:\n{}", e.getMessage());
            }
        }
    }

    /** Reads and checks one template file; the id must match the file name. */
    static ReportTemplate load(Path f, SchemaValidator validator) {
        YamlDocument doc = validator.readValid(f, "report-template");
        ReportTemplate template = doc.as(ReportTemplate.class);
        String expected = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!expected.equals(template.id())) {
            throw new ConfigException(List.of(new ConfigProblem(f, doc.lineOf("/id"), "id",
                    "'" + template.id() + "' must match the file name '" + expected + "'")));
        }
        return template;
    }

    /** Checks every template in a folder without applying anything ({@code config validate}). */
    public static List<ConfigProblem> check(Path dir, SchemaValidator validator) {
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) return problems;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList()) {
                try {
                    load(f, validator);
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
        } catch (IOException e) {
            problems.add(new ConfigProblem(dir, 0, null, "cannot be listed: " + e.getMessage()));
        }
        return problems;
    }

    public Optional<ReportTemplate> byId(String id) {
        reload();
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /**
     * The template for a study: the one its procedure mapping names; else one whose modality and body
     * part match the study; else the generic one.
     */
    public ReportTemplate choose(String mappedTemplate, String modality, String bodyPart) {
        Optional<ReportTemplate> mapped = byId(mappedTemplate);
        if (mapped.isPresent()) return mapped.get();
        for (ReportTemplate t : byId.values()) {
            if (modality != null && modality.equals(t.modality()) && bodyPart != null && bodyPart.equalsIgnoreCase(t.bodyPart())) return t;
        }
        return byId(GENERIC).orElseThrow(() -> new IllegalStateException("no report template '" + GENERIC + "' in " + dir));
    }

    public Map<Path, List<ConfigProblem>> refused() {
        return Map.copyOf(refused);
    }
}
