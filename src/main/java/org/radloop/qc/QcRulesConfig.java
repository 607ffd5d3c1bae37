package org.radloop.qc;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.config.YamlDocument;

/**
 * {@code conf/qc-rules.yaml}: which rules run, their severity and parameters. Validated against
 * {@code conf/schemas/qc-rules.schema.json}; regular expressions are compiled here so a broken
 * pattern is refused with its file, line and field instead of failing on the first report.
 * A rule left out of the file does not run.
 */
public final class QcRulesConfig {

    /** One rule's settings. */
    public record RuleSettings(String id, boolean enabled, Severity severity, RuleParameters parameters) {
    }

    /** Parameters holding regular expressions, checked when the file is read. */
    private static final Map<String, List<String>> REGEX_PARAMETERS = Map.of(
            "required-sections", List.of("emptyPattern"),
            "placeholder", List.of("patterns"),
            "other-patient", List.of("identifierPatterns"));

    private final Map<String, RuleSettings> rules;

    public QcRulesConfig(Map<String, RuleSettings> rules) {
        this.rules = Map.copyOf(rules);
    }

    public static QcRulesConfig read(SchemaValidator validator, Path file) {
        YamlDocument doc = validator.readValid(file, "qc-rules");
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, RuleSettings> rules = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = doc.root().get("rules").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String id = e.getKey();
            JsonNode r = e.getValue();
            JsonNode params = r.get("parameters");
            for (String key : REGEX_PARAMETERS.getOrDefault(id, List.of())) {
                JsonNode v = params == null ? null : params.get(key);
                if (v == null) continue;
                List<JsonNode> values = new ArrayList<>();
                if (v.isArray()) v.forEach(values::add);
                else values.add(v);
                for (int i = 0; i < values.size(); i++) {
                    String pointer = "/rules/" + id + "/parameters/" + key + (v.isArray() ? "/" + i : "");
                    try {
                        Pattern.compile(values.get(i).asText());
                    } catch (PatternSyntaxException ex) {
                        problems.add(new ConfigProblem(file, doc.lineOf(pointer),
                                "rules." + id + ".parameters." + key + (v.isArray() ? "[" + i + "]" : ""),
                                "is not a valid regular expression: " + ex.getDescription()));
                    }
                }
            }
            rules.put(id, new RuleSettings(id, r.get("enabled").asBoolean(),
                    "block".equals(r.get("severity").asText()) ? Severity.BLOCK : Severity.WARN, new RuleParameters(params)));
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new QcRulesConfig(rules);
    }

    public Map<String, RuleSettings> rules() {
        return rules;
    }

    public RuleSettings rule(String id) {
        return rules.get(id);
    }
}
