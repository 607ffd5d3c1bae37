package org.radloop.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks configuration files against the JSON Schemas in {@code conf/schemas/}, and says what is
 * wrong as file, line, field and reason.
 */
public final class SchemaValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER).build();

    private final Path schemaDir;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public SchemaValidator(Path schemaDir) {
        this.schemaDir = schemaDir;
    }

    /** Reads the file and validates it against {@code <schemaName>.schema.json}; throws with every problem found. */
    public YamlDocument readValid(Path file, String schemaName) {
        YamlDocument doc = YamlDocument.read(file);
        List<ConfigProblem> problems = validate(doc, schemaName);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return doc;
    }

    public List<ConfigProblem> validate(YamlDocument doc, String schemaName) {
        if (doc.root() == null || doc.root().isMissingNode() || doc.root().isNull()) {
            return List.of(new ConfigProblem(doc.file(), 1, null, "is empty"));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (ValidationMessage m : schema(schemaName).validate(doc.root())) {
            String pointer = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
            String field = pointer;
            if ("required".equals(m.getType()) && m.getProperty() != null) {
                field = pointer + "/" + m.getProperty();
            }
            String text = m.getMessage();
            String prefix = m.getInstanceLocation() + ": ";
            if (text.startsWith(prefix)) text = text.substring(prefix.length());
            problems.add(new ConfigProblem(doc.file(), doc.lineOf(pointer), fieldName(field), text));
        }
        problems.sort(Comparator.comparingInt(ConfigProblem::line));
        return problems;
    }

    /** "/hl7/sendingFacilities/0" reads as "hl7.sendingFacilities[0]". */
    static String fieldName(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) return "";
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            if (part.matches("\\d+")) sb.append('[').append(part).append(']');
            else sb.append(sb.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
        }
        return sb.toString();
    }

    private JsonSchema schema(String name) {
        return schemas.computeIfAbsent(name, n -> {
            Path file = schemaDir.resolve(n + ".schema.json");
            try {
                JsonNode node = JSON.readTree(Files.readString(file));
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node, CONFIG);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read schema " + file + ": " + e.getMessage(), e);
            }
        });
    }
}
