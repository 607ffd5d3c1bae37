package org.radloop.triage.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import org.radloop.learning.LogisticTrainer;
import org.radloop.learning.Measures;
import org.radloop.triage.FeatureExtractors;
import org.radloop.triage.ModelSession;
import org.radloop.triage.ModelSpec;
import org.radloop.triage.SlicePreprocessor;

/**
 * Builds RadLoop's demonstration models with RadLoop's own code, never a download: it generates
 * synthetic cases with fixed seeds (CT head phantoms with and without a hyperdense bleed, chest
 * radiograph phantoms with and without a pneumothorax-like pattern), passes each image through the
 * very preprocessing and feature extraction the model's YAML describes (so training and RadLoop see
 * the same numbers), trains a Tribuo logistic regression (LinearSGD, log loss), exports it to ONNX,
 * and measures the exported ONNX model (not the Tribuo object) with ONNX Runtime on held-out cases.
 *
 * <p>The threshold is chosen on a validation split of the training cases: the lowest score at which
 * specificity is at least {@value #TARGET_SPECIFICITY} (a triage flag that cries wolf is ignored),
 * and then reported on the held-out test cases with the AUC, sensitivity and specificity in the
 * model card. Same options, same seeds, same bytes: the ONNX file carries no build time.
 */
public final class DemoModelBuilder {

    static final double TARGET_SPECIFICITY = 0.99;
    public static final String CT_HEAD_BLEED = "ct-head-bleed-demo";
    public static final String CHEST_PNEUMOTHORAX = "cxr-pneumothorax-demo";
    public static final String NOT_FOR_CLINICAL_USE = "demonstration model, not for clinical use";
    /** The learning section of both demonstration models' YAML (org.radloop.learning.LearningPolicy). */
    static final String LEARNING = """
            # The learning loop (docs/learning.md): retrain on radiologists' labels, promote a clearly
            # better candidate by itself, otherwise run it in shadow until someone approves it.
            learning:
              retrain: {everyLabels: 50, minLabels: 20, holdoutFraction: 0.3}
              promotion: {mode: automatic, margin: 0.02, tolerance: 0.02}
              shadow: {enabled: true}
              monitoring: {agreementFloor: 0.5, minLabels: 20}
            """;

    /**
     * @param trainCases cases to train on (a fifth of them held back to choose the threshold)
     * @param testCases  held-out cases the model card's numbers come from
     * @param imageSize  phantom size in pixels (the YAML's resize makes the model input size fixed)
     */
    public record Options(int trainCases, int testCases, int imageSize, long seed, int epochs) {
        public static Options defaults() {
            return new Options(1200, 400, 128, 20_240_601L, 30);
        }
    }

    public record Built(String id, Path onnx, Path modelCard, Path yaml, Measures evaluation, String sha256) {
    }

    /** One demonstration: its YAML (as a function of Tribuo's label order and the threshold) and its cases. */
    private record Demo(String id, String positive, String negative, String caseName,
                        BiFunction<List<String>, Double, String> yaml, CaseGenerator cases, String cardText) {
    }

    @FunctionalInterface
    private interface CaseGenerator {
        float[] image(Random rnd, int size, boolean positive);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DemoModelBuilder.class);

    /** Builds every demonstration model: ONNX and model card under {@code dataModelsDir/<id>/}, YAML in {@code confModelsDir}. */
    public List<Built> buildAll(Path dataModelsDir, Path confModelsDir, Options options) throws IOException {
        List<Built> built = new ArrayList<>();
        built.add(build(ctHead(), dataModelsDir, confModelsDir, options));
        built.add(build(chest(), dataModelsDir, confModelsDir, options));
        return built;
    }

    /**
     * First start: builds the demonstration models whose ONNX file is missing under
     * {@code dataModelsDir} ({@link Options#defaults()} unless a test asks for less). The committed YAML in {@code confModelsDir}
     * is written only when absent (its threshold is what the defaults reproduce); a generated copy
     * stays beside the model either way.
     *
     * @return the models built (empty when all were there)
     */
    public List<Built> buildMissing(Path dataModelsDir, Path confModelsDir, Options options) throws IOException {
        List<Built> built = new ArrayList<>();
        for (Demo demo : List.of(ctHead(), chest())) {
            if (Files.isRegularFile(dataModelsDir.resolve(demo.id()).resolve("model.onnx"))) continue;
            Path staging = dataModelsDir.resolve(demo.id()).resolve("generated-yaml");
            Built b = build(demo, dataModelsDir, staging, options);
            Path committed = confModelsDir.resolve(demo.id() + ".yaml");
            if (!Files.exists(committed)) {
                Files.createDirectories(confModelsDir);
                Files.copy(b.yaml(), committed);
            } else if (!Files.readString(committed).equals(Files.readString(b.yaml()))) {
                LOG.warn("{} differs from the demonstration model just built ({}); run `radloop models build-demo` to "
                        + "rewrite it", committed, b.yaml());
            }
            built.add(b);
        }
        return built;
    }

    public Built buildCtHeadBleed(Path dataModelsDir, Path confModelsDir, Options options) throws IOException {
        return build(ctHead(), dataModelsDir, confModelsDir, options);
    }

    public Built buildChestPneumothorax(Path dataModelsDir, Path confModelsDir, Options options) throws IOException {
        return build(chest(), dataModelsDir, confModelsDir, options);
    }

    private Built build(Demo demo, Path dataModelsDir, Path confModelsDir, Options o) throws IOException {
        ModelSpec draft = YAML.readValue(demo.yaml().apply(List.of(demo.positive(), demo.negative()), 0.5), ModelSpec.class);
        List<String> extractors = draft.preprocessing().features();

        Random rnd = new Random(o.seed() ^ demo.id().hashCode());
        int fitCases = o.trainCases() * 4 / 5;
        List<float[]> fitX = new ArrayList<>(), valX = new ArrayList<>(), testX = new ArrayList<>();
        List<Boolean> fitY = new ArrayList<>(), valY = new ArrayList<>(), testY = new ArrayList<>();
        for (int i = 0; i < o.trainCases(); i++) {
            boolean positive = rnd.nextBoolean();
            float[] f = features(draft, extractors, demo.cases().image(rnd, o.imageSize(), positive), o.imageSize());
            (i < fitCases ? fitX : valX).add(f);
            (i < fitCases ? fitY : valY).add(positive);
        }
        Random testRnd = new Random(~o.seed() ^ demo.id().hashCode());
        for (int i = 0; i < o.testCases(); i++) {
            boolean positive = testRnd.nextBoolean();
            testX.add(features(draft, extractors, demo.cases().image(testRnd, o.imageSize(), positive), o.imageSize()));
            testY.add(positive);
        }

        int featureCount = FeatureExtractors.size(extractors);
        LogisticTrainer.Trained model = LogisticTrainer.train(fitX, fitY, demo.positive(), demo.negative(), o.seed(), o.epochs(),
                "RadLoop synthetic " + demo.caseName() + " phantoms, seed " + o.seed());
        List<String> labelOrder = model.labelOrder();

        Path dir = dataModelsDir.resolve(demo.id());
        Path onnx = dir.resolve("model.onnx");
        LogisticTrainer.writeOnnx(model, onnx, "RadLoop " + demo.id() + ": " + NOT_FOR_CLINICAL_USE + ". Tribuo LinearSGD logistic regression, seed "
                + o.seed() + ", " + fitX.size() + " synthetic cases.");

        int positiveColumn = labelOrder.indexOf(demo.positive());
        double[] valScores, testScores;
        try (ModelSession session = ModelSession.load(onnx, 1, Duration.ofMinutes(1))) {
            valScores = scores(session, valX, featureCount, positiveColumn);
            testScores = scores(session, testX, featureCount, positiveColumn);
        } catch (Exception e) {
            throw new IOException("The exported ONNX model does not run: " + e.getMessage(), e);
        }
        double threshold = chooseThreshold(valScores, valY);
        Measures eval = Measures.of(testScores, testY, threshold);

        Files.createDirectories(confModelsDir);
        Path yaml = confModelsDir.resolve(demo.id() + ".yaml");
        Files.writeString(yaml, demo.yaml().apply(labelOrder, threshold), StandardCharsets.UTF_8);
        String sha = LogisticTrainer.sha256(onnx);
        Path card = dir.resolve("model-card.md");
        Files.writeString(card, modelCard(demo, o, eval, labelOrder, extractors, fitX.size(), valX.size(), sha), StandardCharsets.UTF_8);
        return new Built(demo.id(), onnx, card, yaml, eval, sha);
    }

    private static float[] features(ModelSpec spec, List<String> extractors, float[] image, int size) {
        float[][] channels = SlicePreprocessor.channels(spec, image, size, size);
        ModelSpec.Size target = SlicePreprocessor.targetSize(spec, size, size);
        return FeatureExtractors.extract(extractors, channels[0], target.height(), target.width());
    }

    private static double[] scores(ModelSession session, List<float[]> xs, int features, int column) throws Exception {
        float[] flat = new float[xs.size() * features];
        for (int i = 0; i < xs.size(); i++) System.arraycopy(xs.get(i), 0, flat, i * features, features);
        float[][] out = session.run("input", flat, new long[] {xs.size(), features}, "output");
        double[] s = new double[xs.size()];
        for (int i = 0; i < s.length; i++) s[i] = out[i][column];
        return s;
    }

    /** The lowest validation score with specificity at least the target; 0.5 when the split has no negatives. */
    static double chooseThreshold(double[] scores, List<Boolean> truth) {
        List<Double> negatives = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) if (!truth.get(i)) negatives.add(scores[i]);
        if (negatives.isEmpty()) return 0.5;
        negatives.sort(Double::compare);
        int allowed = (int) Math.floor(negatives.size() * (1 - TARGET_SPECIFICITY));
        double highestKept = negatives.get(negatives.size() - 1 - allowed);
        double t = Math.min(0.99, Math.max(0.05, highestKept + 1e-3));
        return Math.ceil(t * 1000) / 1000;
    }

    private static String modelCard(Demo demo, Options o, Measures e, List<String> labels, List<String> extractors,
                                    int fit, int val, String sha) {
        return """
                # Model card: %s

                **This is a demonstration model, not for clinical use.** It was trained on synthetic phantoms \
                that RadLoop generates itself; it has never seen a patient image and says nothing about real \
                patients. It exists to show and test RadLoop's model platform end to end.

                ## What it does
                %s

                - Labels (ONNX output column order): %s
                - Input: flat feature vector per image from the extractors %s (see `org.radloop.triage.FeatureExtractors`), \
                after the preprocessing in `conf/models/%s.yaml`.
                - Model: Tribuo logistic regression (LinearSGD, log loss, AdaGrad, %d epochs, seed %d), exported to ONNX.
                - ONNX file: `model.onnx`, SHA-256 `%s`.

                ## Data
                Synthetic %s phantoms, %d x %d pixels, about half positive, generated with fixed seeds \
                (seed %d): %d cases to fit, %d to choose the threshold, %d held-out test cases (%d positive, %d negative) \
                from a separate random stream.

                ## Threshold
                %.3f: the lowest validation score giving specificity of at least %.0f%%.

                ## Measured on the held-out test cases (with ONNX Runtime, per image)
                | measure | value |
                |---|---|
                | AUC | %.3f |
                | sensitivity at threshold | %.3f |
                | specificity at threshold | %.3f |

                ## Limits
                Phantoms are far simpler than anatomy and scanners: real bleeds are not round, real pneumothoraces \
                are not drawn lines. These numbers measure the pipeline, not clinical performance. %s.
                """.formatted(demo.id(), demo.cardText(), labels, extractors, demo.id(), o.epochs(), o.seed(), sha,
                demo.caseName(), o.imageSize(), o.imageSize(), o.seed(), fit, val, o.testCases(), e.positives(),
                e.negatives(), e.threshold(), TARGET_SPECIFICITY * 100, e.auc(), e.sensitivity(), e.specificity(),
                capitalise(NOT_FOR_CLINICAL_USE));
    }

    private static String capitalise(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String header(String id) {
        return """
                # %s. Generated by `radloop models build-demo`
                # (org.radloop.triage.demo.DemoModelBuilder): the ONNX file and its model card are built into the
                # data folder, not committed; model-card.md beside the ONNX file has the measured numbers.
                # Schema: conf/schemas/model.schema.json.
                """.formatted(capitalise(NOT_FOR_CLINICAL_USE) + " (" + id + ")");
    }

    private static String labelsYaml(List<String> labels) {
        return "[" + String.join(", ", labels) + "]";
    }

    private static Demo ctHead() {
        return new Demo(CT_HEAD_BLEED, "bleed", "normal", "CT head",
                (labels, threshold) -> header(CT_HEAD_BLEED) + """
                        id: %s
                        version: "1.0.0"
                        file: "${radloop.data.dir}/models/%s/model.onnx"
                        task: classification
                        description: Flags a hyperdense intracranial bleed on non-contrast CT head (synthetic phantoms only).
                        selectors:
                          modalities: [CT]
                          bodyParts: [HEAD, BRAIN]
                          sopClasses: ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1"]
                          descriptionPatterns: ["head|brain|stroke|neuro"]
                          minSlices: 5
                        input:
                          tensor: input
                          layout: flat
                          dtype: float32
                        preprocessing:
                          series: most-slices
                          sampling: {every: 1, maxSlices: 256}
                          rescale: true
                          # Brain window, wide enough for blood (60-80 HU) to sit inside it and bone above it.
                          windows: [{centre: 40, width: 120}]
                          resize: {height: 64, width: 64}
                          normalise: {method: scale01}
                          features: [window-histogram-v1]
                        output:
                          tensor: output
                          activation: none
                          labels: %s
                        decision:
                          combine: {method: max}
                          labels:
                            bleed: {threshold: %.3f, findingCode: RADLOOP-DEMO-ICH, text: "Suspected intracranial haemorrhage (demonstration model)", severity: 5}
                        %s""".formatted(CT_HEAD_BLEED, CT_HEAD_BLEED, labelsYaml(labels), threshold, LEARNING),
                (rnd, size, positive) -> CtHeadPhantom.slice(rnd, size, 0.75 + rnd.nextDouble() * 0.25,
                        positive ? CtHeadPhantom.randomBleed(rnd) : null),
                "Looks at each axial slice of a non-contrast CT head and gives the probability that it shows a "
                        + "hyperdense bleed (a blob of 60-80 HU in brain of 30-40 HU). The study probability is the "
                        + "highest slice probability.");
    }

    private static Demo chest() {
        return new Demo(CHEST_PNEUMOTHORAX, "pneumothorax", "normal", "chest radiograph",
                (labels, threshold) -> header(CHEST_PNEUMOTHORAX) + """
                        id: %s
                        version: "1.0.0"
                        file: "${radloop.data.dir}/models/%s/model.onnx"
                        task: classification
                        description: Flags a pneumothorax-like pattern on a frontal chest radiograph (synthetic phantoms only).
                        selectors:
                          modalities: [CR, DX]
                          bodyParts: [CHEST]
                          sopClasses: ["1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1"]
                        input:
                          tensor: input
                          layout: flat
                          dtype: float32
                        preprocessing:
                          series: first
                          sampling: {maxSlices: 4}
                          rescale: true
                          # 12-bit detector values, the whole range.
                          windows: [{centre: 2048, width: 4096}]
                          resize: {height: 96, width: 96}
                          normalise: {method: scale01}
                          features: [zone-texture-v1]
                        output:
                          tensor: output
                          activation: none
                          labels: %s
                        decision:
                          combine: {method: max}
                          labels:
                            pneumothorax: {threshold: %.3f, findingCode: RADLOOP-DEMO-PTX, text: "Suspected pneumothorax (demonstration model)", severity: 4}
                        %s""".formatted(CHEST_PNEUMOTHORAX, CHEST_PNEUMOTHORAX, labelsYaml(labels), threshold, LEARNING),
                (rnd, size, positive) -> {
                    float[] img = ChestRadiographPhantom.image(rnd, size, positive);
                    // The same 12-bit values a CR file carries, so the window above applies as written.
                    for (int i = 0; i < img.length; i++) img[i] = Math.round(img[i] * 4095);
                    return img;
                },
                "Looks at a frontal chest radiograph and gives the probability that it shows a pneumothorax-like "
                        + "pattern: a rim of air without lung markings at the apex and side of one lung.");
    }
}
