package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.CtHeadPhantom;
import org.radloop.triage.demo.PhantomSeries;

/** DICOM pixels to model input: rescale, windows, normalisation, sampling and series choice, as the YAML says. */
class PixelPipelineTest {

    @TempDir
    Path dir;

    @Test
    void pixelsComeBackInHounsfieldUnitsFromOursAndFromAScannerFile() throws Exception {
        List<Path> files = PhantomSeries.writeCtHead(dir.resolve("ct"), 4, 1, 32, false);
        DicomSlices.Header h = DicomSlices.header(files.get(0));
        assertThat(h.modality()).isEqualTo("CT");
        assertThat(h.sopClass()).isEqualTo(PhantomSeries.CT_IMAGE_STORAGE);
        DicomSlices.Slice s = DicomSlices.read(h, true).get(0);
        float[] expected = CtHeadPhantom.slice(new Random(4), 32, 1.0, null);
        for (int i = 0; i < expected.length; i++) {
            // Stored as round(HU + 1024) in 12 bits, read back through RescaleIntercept -1024.
            assertThat(s.values()[i]).isEqualTo(Math.max(-1024, Math.min(3071, Math.round(expected[i]))), offset(0.0f));
        }
        DicomSlices.Slice stored = DicomSlices.read(h, false).get(0);
        assertThat(stored.values()[0]).isEqualTo(s.values()[0] + 1024, offset(0.0f));

        // pydicom's CT_small.dcm: signed 16-bit from a real scanner; air is near -1000 HU, nothing below -2048.
        DicomSlices.Slice scanner = DicomSlices.read(DicomSlices.header(ModelRunnerTest.PYDICOM.resolve("CT_small.dcm")), true).get(0);
        assertThat(scanner.rows()).isEqualTo(128);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : scanner.values()) { min = Math.min(min, v); max = Math.max(max, v); }
        assertThat(min).isGreaterThanOrEqualTo(-2048f);
        assertThat(max).isGreaterThan(0f).isLessThan(4096f);
    }

    @Test
    void windowsStackAsChannelsAndNormalisationAndActivationsFollowTheYaml() throws Exception {
        ModelSpec spec = spec("""
                windows: [{centre: 40, width: 80}, {centre: 0, width: 2000}]
                normalise: {method: meanstd, mean: 0.5, std: 0.25}
                """, "softmax", "[a, b, c]");
        float[][] ch = SlicePreprocessor.channels(spec, new float[] {0f, 40f, 80f, 1000f}, 2, 2);
        assertThat(ch).hasDimensions(2, 4);
        // Window 1 clamps to 0..80 HU; (v - 0) / 80 would be scale01; meanstd applies to the windowed value.
        assertThat(ch[0][0]).isCloseTo((0f - 0.5f) / 0.25f, offset(1e-5f));
        assertThat(ch[0][1]).isCloseTo((40f - 0.5f) / 0.25f, offset(1e-3f));
        assertThat(ch[0][3]).isCloseTo((80f - 0.5f) / 0.25f, offset(1e-3f));
        assertThat(ch[1][3]).isCloseTo((1000f - 0.5f) / 0.25f, offset(1e-3f));

        ModelSpec scaled = spec("windows: [{centre: 40, width: 80}]\n", "sigmoid", "[a]");
        float[][] s = SlicePreprocessor.channels(scaled, new float[] {-100f, 0f, 40f, 500f}, 2, 2);
        assertThat(s[0]).containsExactly(0f, 0f, 0.5f, 1f);

        float[] soft = Activation.apply("softmax", new float[] {1f, 2f, 3f});
        assertThat(soft[0] + soft[1] + soft[2]).isCloseTo(1f, offset(1e-6f));
        assertThat(soft[2]).isGreaterThan(soft[1]).isGreaterThan(soft[0]);
        assertThat(Activation.apply("sigmoid", new float[] {0f})[0]).isEqualTo(0.5f);
        assertThat(Activation.apply("none", new float[] {7f})[0]).isEqualTo(7f);
    }

    @Test
    void slicesAreSampledAndTheSeriesChosenAsConfigured() throws Exception {
        Path models = dir.resolve("models");
        TestOnnxGraphs.hyperdensityDetector(models.resolve("cnn.onnx"));
        String yaml = TestOnnxGraphs.hyperdensityYaml("sampled", "cnn.onnx", "CT")
                .replace("  series: most-slices\n", "  series: pattern\n  seriesPattern: \"^AXIAL\"\n  sampling: {every: 2, maxSlices: 3}\n");
        Files.writeString(models.resolve("sampled.yaml"), yaml);
        try (ModelRegistry registry = new ModelRegistry(models, dir, new SchemaValidator(
                TestEngine.projectHome().resolve("conf/schemas")), 1, Duration.ofSeconds(30), null)) {
            assertThat(registry.reload()).isEmpty();
            ModelSpec spec = registry.spec("sampled").orElseThrow();
            // Two series in one study: the pattern picks the axial one (12 slices) over the longer one.
            List<Path> study = new ArrayList<>(PhantomSeries.writeCtHead(dir.resolve("axial"), 1, 12, 32, false));
            List<Path> other = PhantomSeries.writeCtHead(dir.resolve("other"), 2, 20, 32, false);
            for (Path p : other) {
                com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
                list.read(p.toFile());
                list.get(com.pixelmed.dicom.TagFromName.SeriesDescription).setValue("CORONAL REFORMAT");
                list.write(p.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
            }
            study.addAll(other);

            ModelResult r = new ModelRunner(registry).run(spec, study);

            assertThat(r.seriesUid()).isEqualTo(DicomSlices.header(study.get(0)).seriesUid());
            // Every 2nd of 12 -> 1,3,5,7,9,11; then 3 of those spread evenly -> 1,5,9.
            assertThat(r.slices()).extracting(ModelResult.SliceResult::instanceNumber).containsExactly(1, 5, 9);
        }
    }

    private static ModelSpec spec(String preprocessing, String activation, String labels) throws Exception {
        String yaml = """
                id: t
                version: "1"
                file: t.onnx
                task: classification
                selectors: {}
                input: {tensor: x, layout: NCHW, size: {height: 2, width: 2}}
                preprocessing:
                %s
                output: {tensor: y, activation: %s, labels: %s}
                decision: {labels: {a: {threshold: 0.5, findingCode: A, text: a, severity: 1}}}
                """.formatted(preprocessing.indent(2).stripTrailing(), activation, labels);
        return new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue(yaml, ModelSpec.class);
    }
}
