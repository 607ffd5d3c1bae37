package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.PhantomSeries;

class ModelRegistryTest {

    @TempDir
    Path dir;

    Path models;
    PrometheusMeterRegistry meters;
    ModelRegistry registry;

    @BeforeEach
    void setUp() {
        models = dir.resolve("conf/models");
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry = new ModelRegistry(models, dir.resolve("data"),
                new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas")), 1, Duration.ofSeconds(30), meters);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private void yaml(String id, String onnx) throws Exception {
        Files.createDirectories(models);
        Files.writeString(models.resolve(id + ".yaml"), TestOnnxGraphs.hyperdensityYaml(id, onnx, "CT"));
    }

    /** File times can be equal within the file system's resolution; make each change visible. */
    private static void touch(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2)));
    }

    @Test
    void aMissingOrBrokenModelIsUnavailableWithItsReasonAndComesBackWhenItsFileIsFixed() throws Exception {
        yaml("missing", "missing.onnx");
        yaml("broken", "broken.onnx");
        Files.write(models.resolve("broken.onnx"), "this is not an ONNX graph".getBytes());

        assertThat(registry.reload()).isEmpty();

        ModelRegistry.ModelStatus missing = registry.status("missing").orElseThrow();
        assertThat(missing.state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
        assertThat(missing.reason()).contains("missing.onnx").contains("does not exist");
        ModelRegistry.ModelStatus broken = registry.status("broken").orElseThrow();
        assertThat(broken.state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
        assertThat(broken.reason()).startsWith("ONNX Runtime cannot load broken.onnx");
        assertThat(meters.scrape()).contains("radloop_model_available{model=\"broken\"} 0.0")
                .contains("radloop_model_available{model=\"missing\"} 0.0");

        // The runner answers with the reason instead of throwing.
        ModelSpec spec = registry.spec("missing").orElseThrow();
        ModelResult r = new ModelRunner(registry).run(spec, PhantomSeries.writeCtHead(dir.resolve("ct"), 1, 5, 64, false));
        assertThat(r.ran()).isFalse();
        assertThat(r.skippedReason()).contains("does not exist");

        // Hot reload: the file appears (e.g. the demo models were built after start) and the model runs.
        TestOnnxGraphs.hyperdensityDetector(models.resolve("missing.onnx"));
        TestOnnxGraphs.hyperdensityDetector(models.resolve("broken.onnx"));
        touch(models.resolve("broken.onnx"));
        registry.reload();
        assertThat(registry.status("missing").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        assertThat(registry.status("broken").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        assertThat(meters.scrape()).contains("radloop_model_available{model=\"broken\"} 1.0");
    }

    @Test
    void aGraphWithoutTheTensorsTheYamlNamesIsUnavailable() throws Exception {
        TestOnnxGraphs.hyperdensityDetector(models.resolve("cnn.onnx"));
        Files.writeString(models.resolve("renamed.yaml"), TestOnnxGraphs.hyperdensityYaml("renamed", "cnn.onnx", "CT")
                .replace("tensor: image", "tensor: pixels"));
        registry.reload();
        assertThat(registry.status("renamed").orElseThrow().reason())
                .isEqualTo("the ONNX graph has no input 'pixels' (graph has [image])");
    }

    @Test
    void aModelThatFailsWhileRunningIsMarkedUnavailableAndTheStudyGetsTheReason() throws Exception {
        TestOnnxGraphs.hyperdensityDetector(models.resolve("cnn.onnx"));
        // The YAML promises two labels; the graph gives one value per slice.
        Files.writeString(models.resolve("two-labels.yaml"), TestOnnxGraphs.hyperdensityYaml("two-labels", "cnn.onnx", "CT")
                .replace("labels: [hyperdensity]", "labels: [hyperdensity, other]"));
        registry.reload();
        ModelSpec spec = registry.spec("two-labels").orElseThrow();
        assertThat(registry.status("two-labels").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);

        ModelResult r = new ModelRunner(registry).run(spec, PhantomSeries.writeCtHead(dir.resolve("ct"), 3, 5, 64, true));

        assertThat(r.failed()).isTrue();
        assertThat(r.skippedReason()).contains("has 1 values per slice but the YAML names 2 labels");
        ModelRegistry.ModelStatus status = registry.status("two-labels").orElseThrow();
        assertThat(status.state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
        assertThat(status.failures()).isEqualTo(1);
        assertThat(meters.scrape()).contains("radloop_model_runs_total{model=\"two-labels\",outcome=\"failed\"} 1.0");
    }

    @Test
    void anInvalidYamlIsRefusedWithFileLineAndFieldAndThePreviousVersionKeepsRunning() throws Exception {
        TestOnnxGraphs.hyperdensityDetector(models.resolve("cnn.onnx"));
        yaml("cnn", "cnn.onnx");
        registry.reload();
        assertThat(registry.status("cnn").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);

        Path file = models.resolve("cnn.yaml");
        Files.writeString(file, Files.readString(file).replace("layout: NCHW", "layout: NHWC"));
        touch(file);
        List<ConfigProblem> problems = registry.reload();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.field()).isEqualTo("input.layout");
        });
        assertThat(registry.refused()).containsKey(file);
        assertThat(registry.status("cnn").orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        assertThat(registry.spec("cnn").orElseThrow().input().layout()).isEqualTo("NCHW");
    }

    @Test
    void aDecisionForALabelTheModelDoesNotHaveIsRefused() throws Exception {
        Files.createDirectories(models);
        Files.writeString(models.resolve("typo.yaml"), TestOnnxGraphs.hyperdensityYaml("typo", "x.onnx", "CT")
                .replace("    hyperdensity: {threshold", "    hyperdense: {threshold"));
        List<ConfigProblem> problems = registry.reload();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("decision.labels.hyperdense");
            assertThat(p.message()).contains("is not one of output.labels [hyperdensity]");
        });
        assertThat(registry.statuses()).isEmpty();
    }

    @Test
    void theCommittedModelFilesAreValid() {
        ModelRegistry committed = new ModelRegistry(TestEngine.projectHome().resolve("conf/models"), dir.resolve("no-data"),
                new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas")), 1, Duration.ofSeconds(5), null);
        assertThat(committed.check()).isEmpty();
        committed.reload();
        // Without a data folder the demonstration models are not built: listed, unavailable, with why.
        assertThat(committed.statuses()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(ModelRegistry.State.UNAVAILABLE);
            assertThat(s.reason()).contains("does not exist");
            assertThat(s.onnx().startsWith(dir.resolve("no-data/models"))).as(s.onnx().toString()).isTrue();
        });
        committed.close();
    }
}
