package org.radloop.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * RadLoop's procedure catalogue ({@code mappings/procedures.yaml}) joined with one facility's code
 * map ({@code mappings/codes/<facility>.yaml}): a facility code looked up here yields the full
 * {@link ProcedureMapping}, or nothing when the code is unmapped.
 */
public final class CodeMappings {

    private final Map<String, ProcedureMapping> byCode;

    private CodeMappings(Map<String, ProcedureMapping> byCode) {
        this.byCode = byCode;
    }

    public static CodeMappings empty() {
        return new CodeMappings(Map.of());
    }

    public Optional<ProcedureMapping> lookup(String facilityCode) {
        if (facilityCode == null) return Optional.empty();
        return Optional.ofNullable(byCode.get(facilityCode.trim().toUpperCase(Locale.ROOT)));
    }

    public int size() {
        return byCode.size();
    }

    /** Reads the catalogue; each entry's fields are checked by the procedures schema. */
    public static Map<String, JsonNode> readCatalogue(SchemaValidator validator, Path file) {
        YamlDocument doc = validator.readValid(file, "procedures");
        Map<String, JsonNode> catalogue = new HashMap<>();
        doc.root().path("procedures").fields().forEachRemaining(e -> catalogue.put(e.getKey(), e.getValue()));
        return catalogue;
    }

    /** Reads one facility's code map and resolves each code against the catalogue. */
    public static CodeMappings read(SchemaValidator validator, Path file, Map<String, JsonNode> catalogue) {
        YamlDocument doc = validator.readValid(file, "code-mappings");
        Map<String, ProcedureMapping> byCode = new HashMap<>();
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.root().path("codes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode entry = e.getValue();
            String procedureId = entry.isTextual() ? entry.asText() : entry.path("procedure").asText();
            JsonNode proc = catalogue.get(procedureId);
            if (proc == null) {
                problems.add(new ConfigProblem(file, doc.lineOf("/codes/" + e.getKey()), "codes." + e.getKey(),
                        "names procedure '" + procedureId + "', which mappings/procedures.yaml does not list"));
                continue;
            }
            String laterality = entry.path("laterality").asText(proc.path("laterality").asText(null));
            byCode.put(e.getKey().trim().toUpperCase(Locale.ROOT), new ProcedureMapping(procedureId,
                    proc.path("modality").asText(null), proc.path("bodyPart").asText(null), laterality,
                    proc.path("subspecialty").asText(null), proc.path("template").asText(null)));
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new CodeMappings(byCode);
    }
}
