package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.PhantomSeries;

/** A stuck model is stopped at its time limit and marked unavailable; the study goes on. */
class ModelTimeLimitTest {

    @TempDir
    Path dir;

    @Test
    void aRunOverTheTimeLimitIsStoppedAndTheModelMarkedUnavailable() throws Exception {
        Path models = dir.resolve("models");
        TestOnnxGraphs.slowLoop(models.resolve("slow.onnx"), FeatureExtractors.size(FeatureExtractors.WINDOW_HISTOGRAM), 1_000_000_000L);
        Files.writeString(models.resolve("slow.yaml"), """
                id: slow
                version: "1"
                file: slow.onnx
                task: classification
                selectors: {modalities: [CT]}
                input: {tensor: x, layout: flat}
                preprocessing: {features: [window-histogram-v1]}
                output: {tensor: y, activation: sigmoid, labels: [anything]}
                decision:
                  labels:
                    anything: {threshold: 0.5, findingCode: SLOW, text: slow, severity: 1}
                """);
        try (ModelRegistry registry = new ModelRegistry(models, dir, new SchemaValidator(
                TestEngine.projectHome().resolve("conf/schemas")), 1, Duration.ofMillis(100), null)) {
            registry.reload();
            ModelSpec spec = registry.spec("slow").orElseThrow();
            assertThat(registry.status("slow").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);

            // The session on its own: the caller gets a TimeoutException instead of waiting.
            ModelSession session = registry.session(spec).orElseThrow();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.run("x", new float[14], new long[] {1, 14}, "y"))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("longer than 100 ms");

            // Through the runner: the study gets the reason, the model is taken out of service.
            ModelResult r = new ModelRunner(registry).run(spec, PhantomSeries.writeCtHead(dir.resolve("ct"), 1, 1, 32, false));
            assertThat(r.failed()).isTrue();
            assertThat(r.skippedReason()).contains("longer than 100 ms and was stopped");
            ModelRegistry.ModelStatus status = registry.status("slow").orElseThrow();
            assertThat(status.state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
            assertThat(status.reason()).contains("was stopped");

            // ONNX Runtime was told to terminate: the runs stop long before their billion steps would end.
            await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("radloop-model-") && t.getState() == Thread.State.RUNNABLE));
        }
    }
}
