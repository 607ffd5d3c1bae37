package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.PhantomSeries;

/** One session per model version, shared by every thread, replaced safely while studies run. */
class ModelConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void studiesRunInParallelOnOneSessionAndANewVersionReplacesItWithoutBreakingRunsInFlight() throws Exception {
        Path models = dir.resolve("models");
        TestOnnxGraphs.hyperdensityDetector(models.resolve("cnn.onnx"));
        Path yaml = models.resolve("cnn.yaml");
        Files.writeString(yaml, TestOnnxGraphs.hyperdensityYaml("cnn", "cnn.onnx", "CT"));
        List<Path> bleed = PhantomSeries.writeCtHead(dir.resolve("bleed"), 21, 9, 64, true);
        List<Path> normal = PhantomSeries.writeCtHead(dir.resolve("normal"), 22, 9, 64, false);

        try (ModelRegistry registry = new ModelRegistry(models, dir, new SchemaValidator(
                TestEngine.projectHome().resolve("conf/schemas")), 2, Duration.ofSeconds(30), null)) {
            registry.reload();
            ModelSpec v1 = registry.spec("cnn").orElseThrow();
            ModelRunner runner = new ModelRunner(registry);
            double expectedBleed = runner.run(v1, bleed).studyProbability("hyperdensity");
            double expectedNormal = runner.run(v1, normal).studyProbability("hyperdensity");

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<ModelResult>> bleeds = new ArrayList<>(), normals = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    bleeds.add(pool.submit(() -> runner.run(v1, bleed)));
                    normals.add(pool.submit(() -> runner.run(v1, normal)));
                }
                // Same inputs, same session, any thread: same answers.
                for (Future<ModelResult> f : bleeds) assertThat(f.get().studyProbability("hyperdensity")).isEqualTo(expectedBleed);
                for (Future<ModelResult> f : normals) assertThat(f.get().studyProbability("hyperdensity")).isEqualTo(expectedNormal);

                // Version 0.2 arrives while v1 runs are in flight: they finish or are told the model was replaced.
                List<Future<ModelResult>> inFlight = new ArrayList<>();
                for (int i = 0; i < 8; i++) inFlight.add(pool.submit(() -> runner.run(v1, bleed)));
                Files.writeString(yaml, Files.readString(yaml).replace("version: \"0.1\"", "version: \"0.2\""));
                Files.setLastModifiedTime(yaml, FileTime.from(Files.getLastModifiedTime(yaml).toInstant().plusSeconds(2)));
                registry.reload();
                for (Future<ModelResult> f : inFlight) {
                    ModelResult r = f.get();
                    if (r.ran()) assertThat(r.studyProbability("hyperdensity")).isEqualTo(expectedBleed);
                    else assertThat(r.skippedReason()).contains("replaced by cnn@0.2");
                }
            } finally {
                pool.shutdown();
            }
            ModelSpec v2 = registry.spec("cnn").orElseThrow();
            assertThat(v2.version()).isEqualTo("0.2");
            ModelResult r = runner.run(v2, bleed);
            assertThat(r.modelVersion()).isEqualTo("0.2");
            assertThat(r.studyProbability("hyperdensity")).isEqualTo(expectedBleed);
            assertThat(registry.status("cnn").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        }
    }
}
