package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.DemoModelBuilder;
import org.radloop.triage.demo.PhantomSeries;

/** Real DICOM files (PixelMed) -> pixels -> preprocessing -> ONNX Runtime -> study result. */
class ModelRunnerTest {

    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @TempDir
    Path dir;

    private ModelRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) registry.close();
    }

    private ModelRegistry registry(Path modelsDir, Path dataDir) {
        registry = new ModelRegistry(modelsDir, dataDir, new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas")),
                1, Duration.ofSeconds(30), null);
        assertThat(registry.reload()).isEmpty();
        return registry;
    }

    @Test
    void theDemoModelFindsTheBleedInASyntheticCtHeadSeriesAndNotInANormalOne() throws Exception {
        Path models = dir.resolve("models");
        DemoModelFixture.copyYaml(DemoModelBuilder.CT_HEAD_BLEED, models);
        ModelRegistry reg = registry(models, DemoModelFixture.dataDir());
        ModelSpec spec = reg.spec(DemoModelBuilder.CT_HEAD_BLEED).orElseThrow();
        assertThat(reg.status(spec.id()).orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        ModelRunner runner = new ModelRunner(reg);

        List<Path> bleed = PhantomSeries.writeCtHead(dir.resolve("bleed"), 11, 12, 64, true);
        List<Path> normal = PhantomSeries.writeCtHead(dir.resolve("normal"), 12, 12, 64, false);
        ModelResult positive = runner.run(spec, bleed);
        ModelResult negative = runner.run(spec, normal);

        assertThat(positive.skippedReason()).isNull();
        assertThat(positive.slices()).hasSize(12);
        double threshold = spec.decision().labels().get("bleed").threshold();
        assertThat(positive.studyProbability("bleed")).isGreaterThanOrEqualTo(threshold);
        assertThat(positive.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("RADLOOP-DEMO-ICH");
            assertThat(f.severity()).isEqualTo(5);
            assertThat(f.modelVersion()).isEqualTo("1.0.0");
            // The bleed crosses the middle slices of the series; the slice that drove it is one of them.
            assertThat(f.slices()).singleElement().satisfies(s -> assertThat(s).isBetween(4, 9));
        });
        assertThat(negative.skippedReason()).isNull();
        assertThat(negative.studyProbability("bleed")).isLessThan(threshold);
        assertThat(negative.findings()).isEmpty();
        assertThat(positive.timings().totalMs()).isGreaterThanOrEqualTo(positive.timings().inferenceMs());
    }

    @Test
    void aSecondModelWithAnNchwInputBuiltInTheTestRunsFromItsYamlAlone() throws Exception {
        Path models = dir.resolve("models");
        TestOnnxGraphs.hyperdensityDetector(models.resolve("hyperdensity-cnn.onnx"));
        Files.writeString(models.resolve("hyperdensity-cnn.yaml"),
                TestOnnxGraphs.hyperdensityYaml("hyperdensity-cnn", "hyperdensity-cnn.onnx", "CT"));
        ModelRegistry reg = registry(models, dir.resolve("data"));
        ModelSpec spec = reg.spec("hyperdensity-cnn").orElseThrow();
        assertThat(reg.status(spec.id()).orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        ModelRunner runner = new ModelRunner(reg);

        ModelResult positive = runner.run(spec, PhantomSeries.writeCtHead(dir.resolve("bleed"), 21, 9, 64, true));
        ModelResult negative = runner.run(spec, PhantomSeries.writeCtHead(dir.resolve("normal"), 22, 9, 64, false));

        assertThat(positive.skippedReason()).isNull();
        assertThat(positive.labels()).containsExactly("hyperdensity");
        assertThat(positive.studyProbability("hyperdensity")).isGreaterThan(0.5);
        assertThat(positive.drivingSlices().get("hyperdensity")).hasSize(2);
        assertThat(positive.findings()).extracting(Finding::code).containsExactly("TEST-HYPERDENSE");
        assertThat(negative.studyProbability("hyperdensity")).isLessThan(0.5);
        assertThat(negative.findings()).isEmpty();
    }

    @Test
    void seriesPixelMedCannotDecodeAreSkippedWithTheReasonAndReadableOnesRun() throws Exception {
        Path models = dir.resolve("models");
        TestOnnxGraphs.hyperdensityDetector(models.resolve("mr.onnx"));
        Files.writeString(models.resolve("mr-hyperdensity.yaml"), TestOnnxGraphs.hyperdensityYaml("mr-hyperdensity", "mr.onnx", "MR"));
        ModelRegistry reg = registry(models, dir.resolve("data"));
        ModelSpec spec = reg.spec("mr-hyperdensity").orElseThrow();
        ModelRunner runner = new ModelRunner(reg);

        ModelResult jpegLs = runner.run(spec, List.of(PYDICOM.resolve("MR_small_jpeg_ls_lossless.dcm")));
        ModelResult jpeg2000 = runner.run(spec, List.of(PYDICOM.resolve("MR_small_jp2klossless.dcm")));
        ModelResult plain = runner.run(spec, List.of(PYDICOM.resolve("MR_small.dcm")));

        assertThat(jpegLs.ran()).isFalse();
        assertThat(jpegLs.failed()).isFalse();
        assertThat(jpegLs.skippedReason()).contains("JPEG-LS").contains("cannot be decoded");
        assertThat(jpeg2000.skippedReason()).contains("JPEG 2000");
        assertThat(plain.skippedReason()).isNull();
        assertThat(plain.slices()).hasSize(1);
        assertThat(plain.studyProbability("hyperdensity")).isBetween(0.0, 1.0);
        // Skipping a series is not the model's fault: it stays available and counted.
        ModelRegistry.ModelStatus status = reg.status("mr-hyperdensity").orElseThrow();
        assertThat(status.state()).isEqualTo(ModelRegistry.State.AVAILABLE);
        assertThat(status.skipped()).isEqualTo(2);
        assertThat(status.runs()).isEqualTo(1);
    }

    @Test
    void aStudyWithoutAMatchingSeriesIsSkippedNotFailed() throws Exception {
        Path models = dir.resolve("models");
        DemoModelFixture.copyYaml(DemoModelBuilder.CT_HEAD_BLEED, models);
        ModelRegistry reg = registry(models, DemoModelFixture.dataDir());
        ModelSpec spec = reg.spec(DemoModelBuilder.CT_HEAD_BLEED).orElseThrow();
        // Three slices: below the model's minimum of five.
        ModelResult r = new ModelRunner(reg).run(spec, PhantomSeries.writeCtHead(dir.resolve("short"), 5, 3, 64, true));
        assertThat(r.skippedReason()).isEqualTo("no series matches the model's selectors");
        assertThat(reg.status(spec.id()).orElseThrow().state()).isEqualTo(ModelRegistry.State.AVAILABLE);
    }

    @Test
    void theChestDemoModelRunsOnARadiographFileAndRanksThePneumothoraxAboveTheNormalOne() throws Exception {
        Path models = dir.resolve("models");
        DemoModelFixture.copyYaml(DemoModelBuilder.CHEST_PNEUMOTHORAX, models);
        ModelRegistry reg = registry(models, DemoModelFixture.dataDir());
        ModelSpec spec = reg.spec(DemoModelBuilder.CHEST_PNEUMOTHORAX).orElseThrow();
        ModelRunner runner = new ModelRunner(reg);

        ModelResult ptx = runner.run(spec, PhantomSeries.writeChest(dir.resolve("ptx"), 31, 64, true));
        ModelResult normal = runner.run(spec, PhantomSeries.writeChest(dir.resolve("normal"), 32, 64, false));

        assertThat(ptx.skippedReason()).isNull();
        assertThat(ptx.slices()).hasSize(1);
        assertThat(ptx.studyProbability("pneumothorax")).isGreaterThan(normal.studyProbability("pneumothorax"));
        assertThat(ptx.studyProbability("pneumothorax") + ptx.studyProbability("normal")).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-5));
    }
}
