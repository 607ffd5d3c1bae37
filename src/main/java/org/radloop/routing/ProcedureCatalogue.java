package org.radloop.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.radloop.config.ConfigException;
import org.radloop.config.SchemaValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RadLoop's procedures ({@code mappings/procedures.yaml}) as routing and reporting need them: the
 * subspecialty that reads a procedure, its work value in RVUs and its report template. Read again
 * when the file changes; a refused change keeps the catalogue in force.
 */
public final class ProcedureCatalogue {

    private static final Logger LOG = LoggerFactory.getLogger(ProcedureCatalogue.class);
    /** Work value of a procedure that has none (or of an unmapped one): a plain radiograph's. */
    public static final double DEFAULT_RVU = 0.5;

    public record Procedure(String id, String name, String modality, String subspecialty, String template, double rvu) {
    }

    private final Path file;
    private final SchemaValidator validator;
    private volatile Map<String, Procedure> byId = Map.of();
    private FileTime seen;

    public ProcedureCatalogue(Path file, SchemaValidator validator) {
        this.file = file;
        this.validator = validator;
        refresh();
    }

    public Optional<Procedure> byId(String id) {
        refresh();
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    private synchronized void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(seen)) return;
            seen = modified;
            Map<String, JsonNode> raw = org.radloop.config.CodeMappings.readCatalogue(validator, file);
            Map<String, Procedure> map = new java.util.HashMap<>();
            raw.forEach((id, n) -> map.put(id, new Procedure(id, n.path("name").asText(id), n.path("modality").asText(null),
                    n.path("subspecialty").asText("general"), n.path("template").asText(null), n.path("rvu").asDouble(DEFAULT_RVU))));
            byId = Map.copyOf(map);
        } catch (IOException e) {
            LOG.warn("Procedure catalogue {} cannot be read: {}", file, e.getMessage());
        } catch (ConfigException e) {
            LOG.error("Refused procedure catalogue, the previous one stays in force:\n{}", e.getMessage());
        }
    }
}
