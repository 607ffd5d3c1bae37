package org.radloop.learning;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.radloop.config.YamlDocument;

/**
 * The {@code learning} section of a model's YAML (schema: conf/schemas/model.schema.json): when to
 * retrain, when a candidate replaces the version in service by itself, whether candidates run in
 * shadow, and the agreement floor under which an alert is raised. Absent fields take the defaults
 * below; a model without the section is retrained only on demand and never promoted automatically.
 */
public record LearningPolicy(boolean configured, int everyLabels, long everyHours, int minLabels, double holdoutFraction,
                             int epochs, long seed, String promotion, double margin, double tolerance, boolean shadow,
                             double agreementFloor, int monitorMinLabels) {

    public static final String AUTOMATIC = "automatic";
    public static final String APPROVAL = "approval";

    public static LearningPolicy defaults() {
        return new LearningPolicy(false, 0, 0, 20, 0.3, 30, 20_240_601L, APPROVAL, 0.02, 0.02, false, 0.5, 20);
    }

    /** Reads the section from the model's YAML (already validated by the registry). */
    public static LearningPolicy of(Path yaml) {
        JsonNode l = YamlDocument.read(yaml).root().path("learning");
        LearningPolicy d = defaults();
        if (l.isMissingNode() || l.isNull()) return d;
        JsonNode r = l.path("retrain"), p = l.path("promotion"), s = l.path("shadow"), m = l.path("monitoring");
        return new LearningPolicy(true,
                r.path("everyLabels").asInt(d.everyLabels()),
                r.path("everyHours").asLong(d.everyHours()),
                r.path("minLabels").asInt(d.minLabels()),
                r.path("holdoutFraction").asDouble(d.holdoutFraction()),
                r.path("epochs").asInt(d.epochs()),
                r.path("seed").asLong(d.seed()),
                p.path("mode").asText(d.promotion()),
                p.path("margin").asDouble(d.margin()),
                p.path("tolerance").asDouble(d.tolerance()),
                s.path("enabled").asBoolean(d.shadow()),
                m.path("agreementFloor").asDouble(d.agreementFloor()),
                m.path("minLabels").asInt(d.monitorMinLabels()));
    }
}
