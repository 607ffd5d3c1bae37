package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.DemoModelBuilder;

/** The running engine's model registry: what GET /api/models and /metrics will show. */
class EngineModelsTest {

    @TempDir
    Path data;

    @Test
    void demoModelsAreUnavailableUntilBuiltThenPickedUpWithoutARestart() throws Exception {
        try (RadLoopEngine engine = TestEngine.start(data)) {
            ModelRegistry models = engine.models();
            assertThat(models.statuses()).extracting(ModelRegistry.ModelStatus::id)
                    .contains(DemoModelBuilder.CT_HEAD_BLEED, DemoModelBuilder.CHEST_PNEUMOTHORAX);
            ModelRegistry.ModelStatus ct = models.status(DemoModelBuilder.CT_HEAD_BLEED).orElseThrow();
            assertThat(ct.state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
            assertThat(ct.reason()).contains(data.resolve("models/ct-head-bleed-demo/model.onnx").toString())
                    .contains("does not exist");
            assertThat(engine.metrics().registry().scrape())
                    .contains("radloop_model_available{model=\"ct-head-bleed-demo\"} 0.0");

            // The model file appears in the data folder (as the first-start build leaves it).
            Path target = data.resolve("models/ct-head-bleed-demo/model.onnx");
            Files.createDirectories(target.getParent());
            Files.copy(DemoModelFixture.dataDir().resolve("models/ct-head-bleed-demo/model.onnx"), target);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    models.status(DemoModelBuilder.CT_HEAD_BLEED).orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE));
            assertThat(engine.metrics().registry().scrape())
                    .contains("radloop_model_available{model=\"ct-head-bleed-demo\"} 1.0");
        }
    }

    @Test
    void theFirstStartBuildMakesOnlyWhatIsMissing() throws Exception {
        Path conf = data.resolve("conf/models");
        DemoModelBuilder builder = new DemoModelBuilder();
        var first = builder.buildMissing(data.resolve("models"), conf, DemoModelBuilderTest.SMALL);
        assertThat(first).extracting(DemoModelBuilder.Built::id)
                .containsExactly(DemoModelBuilder.CT_HEAD_BLEED, DemoModelBuilder.CHEST_PNEUMOTHORAX);
        assertThat(conf.resolve("ct-head-bleed-demo.yaml")).exists();
        assertThat(builder.buildMissing(data.resolve("models"), conf, DemoModelBuilderTest.SMALL)).isEmpty();
    }
}
