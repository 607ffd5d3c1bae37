package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.DemoModelBuilder;

class DemoModelBuilderTest {

    /** Small enough for a unit test: 200 training cases of 64 x 64. */
    static final DemoModelBuilder.Options SMALL = new DemoModelBuilder.Options(200, 200, 64, 20_240_601L, 30);
    /** The floor a demonstration model must clear on held-out phantoms; far above chance (0.5). */
    static final double AUC_FLOOR = 0.9;

    @TempDir
    Path dir;

    @Test
    void buildsOnnxModelsThatOnnxRuntimeRunsWithMeasuredAucAndAModelCard() throws Exception {
        Path data = dir.resolve("data/models");
        Path conf = dir.resolve("conf/models");
        var built = new DemoModelBuilder().buildAll(data, conf, SMALL);

        assertThat(built).hasSize(2);
        for (DemoModelBuilder.Built b : built) {
            assertThat(b.evaluation().auc()).as(b.id() + " AUC").isGreaterThan(AUC_FLOOR);
            assertThat(b.evaluation().positives()).isPositive();
            assertThat(b.evaluation().negatives()).isPositive();
            String card = Files.readString(b.modelCard());
            assertThat(card).containsIgnoringCase("demonstration model, not for clinical use")
                    .contains(String.format("| AUC | %.3f |", b.evaluation().auc()))
                    .contains(b.sha256());

            // ONNX Runtime itself (no RadLoop code) runs the file and returns probabilities.
            int features = FeatureExtractors.size(b.id().startsWith("ct") ? FeatureExtractors.WINDOW_HISTOGRAM : FeatureExtractors.ZONE_TEXTURE);
            try (OrtSession s = ModelSession.environment().createSession(b.onnx().toString());
                 OnnxTensor in = OnnxTensor.createTensor(ModelSession.environment(), FloatBuffer.wrap(new float[features]),
                         new long[] {1, features});
                 OrtSession.Result out = s.run(Map.of("input", in))) {
                float[][] p = (float[][]) out.get("output").orElseThrow().getValue();
                assertThat(p[0]).hasSize(2);
                assertThat(p[0][0] + p[0][1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
            }

            // The YAML it wrote is valid against the schema RadLoop loads models with.
            SchemaValidator validator = new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas"));
            assertThat(validator.validate(org.radloop.config.YamlDocument.read(b.yaml()), "model")).isEmpty();
        }
    }

    @Test
    void sameSeedsGiveTheSameModelBytes() throws Exception {
        var a = new DemoModelBuilder().buildCtHeadBleed(dir.resolve("a"), dir.resolve("a-conf"), SMALL);
        var b = new DemoModelBuilder().buildCtHeadBleed(dir.resolve("b"), dir.resolve("b-conf"), SMALL);
        assertThat(a.sha256()).isEqualTo(b.sha256());
        assertThat(Files.readString(a.yaml())).isEqualTo(Files.readString(b.yaml()));
    }
}
