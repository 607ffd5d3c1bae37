package org.radloop.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.radloop.model.ModelVersion;
import org.radloop.model.Store;
import org.radloop.model.TrainingLabel;
import org.radloop.triage.Activation;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.ModelResult;
import org.radloop.triage.ModelSession;
import org.radloop.triage.ModelSpec;
import org.radloop.triage.SliceCombiner;
import org.radloop.triage.demo.DemoModelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a candidate version of a model on the radiologists' labels and weighs it against the
 * version in service: features through the model's own pipeline ({@link LabelledExamples}), a
 * Tribuo logistic regression exported to ONNX, both versions scored with ONNX Runtime on the same
 * held-out labels ({@link Measures}), the promotion policy applied ({@link PromotionDecision}), and
 * a model card with every number written beside the candidate.
 *
 * <p>Retrains binary flat-feature models (one finding label and one "normal" label), which is what
 * RadLoop's own models are; any other model is refused with that reason.
 */
public final class Retrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Too few labels, or labels of only one kind: nothing to train or to measure on. */
    public static final class NotEnoughLabels extends IllegalStateException {
        NotEnoughLabels(String message) {
            super(message);
        }
    }

    public record Outcome(ModelVersion candidate, Measures candidateMeasures, Measures currentMeasures,
                          PromotionDecision decision, boolean promoted, Path modelCard) {
    }

    private final Store store;
    private final ModelRegistry registry;
    private final ModelVersions versions;
    private final ShadowMode shadow;

    public Retrainer(Store store, ModelRegistry registry, ModelVersions versions, ShadowMode shadow) {
        this.store = store;
        this.registry = registry;
        this.versions = versions;
        this.shadow = shadow;
    }

    /** The labels that teach this model, oldest first. */
    public List<TrainingLabel> labels(ModelSpec spec) {
        return store.fromTransaction(s -> s.createQuery("""
                        from TrainingLabel where modelId = :m or (modelId is null and label in :labels)
                        order by id""", TrainingLabel.class)
                .setParameter("m", spec.id())
                .setParameter("labels", List.copyOf(spec.decision().labels().keySet())).list())
                .stream().filter(l -> LabelledExamples.teaches(spec, l)).toList();
    }

    public synchronized Outcome retrain(String id, String trigger) throws IOException {
        ModelSpec spec = registry.spec(id).orElseThrow(() -> new NoSuchElementException("no model " + id));
        ModelRegistry.ModelStatus status = registry.status(id).orElseThrow();
        LearningPolicy policy = LearningPolicy.of(status.yaml());
        if (spec.decision().labels().size() != 1 || spec.output().labels().size() != 2) {
            throw new IllegalArgumentException("Model " + id + " has " + spec.output().labels().size() + " outputs and "
                    + spec.decision().labels().size() + " finding labels; RadLoop retrains binary models (one finding, one normal)");
        }
        String positive = spec.decision().labels().keySet().iterator().next();
        String negative = spec.output().labels().stream().filter(l -> !l.equals(positive)).findFirst().orElseThrow();
        ModelVersion current = versions.current(id);

        List<TrainingLabel> labels = labels(spec);
        long highWater = labels.isEmpty() ? 0 : labels.get(labels.size() - 1).getId();
        List<LabelledExamples.Example> examples = LabelledExamples.of(spec, labels, policy.holdoutFraction());
        List<LabelledExamples.Example> train = examples.stream().filter(e -> !e.holdout()).toList();
        List<LabelledExamples.Example> holdout = examples.stream().filter(LabelledExamples.Example::holdout).toList();
        requireBothKinds("training", train, id);
        requireBothKinds("held-out", holdout, id);

        List<float[]> x = new ArrayList<>();
        List<Boolean> y = new ArrayList<>();
        for (LabelledExamples.Example e : train) {
            for (float[] f : e.slices()) {
                x.add(f);
                y.add(e.present());
            }
        }
        LogisticTrainer.Trained trained = LogisticTrainer.train(x, y, positive, negative, policy.seed(),
                policy.epochs(), "RadLoop radiologists' labels of " + id + " (" + train.size() + " labels)");
        String version = versions.nextVersion(id);
        Path dir = versions.versionDir(id, version);
        Path onnx = dir.resolve("model.onnx");
        boolean demo = isDemonstration(spec, current);
        LogisticTrainer.writeOnnx(trained, onnx, "RadLoop " + id + " " + version + ", retrained on " + train.size()
                + " radiologists' labels" + (demo ? "; " + DemoModelBuilder.NOT_FOR_CLINICAL_USE : ""));

        int candidateColumn = trained.labelOrder().indexOf(positive);
        int currentColumn = spec.output().labels().indexOf(positive);
        double[] trainScores, candidateScores, currentScores;
        try (ModelSession cand = ModelSession.load(onnx, 1, Duration.ofMinutes(1));
             ModelSession cur = ModelSession.load(Path.of(current.getOnnxPath()), 1, Duration.ofMinutes(1))) {
            trainScores = studyScores(spec, cand, "input", "output", "none", train, candidateColumn);
            candidateScores = studyScores(spec, cand, "input", "output", "none", holdout, candidateColumn);
            currentScores = studyScores(spec, cur, spec.input().tensor(), spec.output().tensor(),
                    spec.output().activationOrNone(), holdout, currentColumn);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Scoring " + id + " failed: " + e.getMessage(), e);
        }
        List<Boolean> trainTruth = train.stream().map(LabelledExamples.Example::present).toList();
        List<Boolean> holdTruth = holdout.stream().map(LabelledExamples.Example::present).toList();
        double threshold = Measures.youdenThreshold(trainScores, trainTruth);
        Measures candidate = Measures.of(candidateScores, holdTruth, threshold);
        Measures now = Measures.of(currentScores, holdTruth, spec.decision().labels().get(positive).threshold());
        PromotionDecision decision = PromotionDecision.decide(policy, candidate,
                Measures.at(candidateScores, holdTruth, now.sensitivity(), now.specificity()), now);

        Path yaml = dir.resolve("model.yaml");
        Files.writeString(yaml, candidateYaml(status.yaml(), id, version, current.getVersion(), trained.labelOrder(), positive,
                threshold, demo), StandardCharsets.UTF_8);
        Path card = dir.resolve("model-card.md");
        String sha = LogisticTrainer.sha256(onnx);
        Files.writeString(card, ModelCard.write(id, version, current.getVersion(), demo, trigger, train, holdout, candidate, now,
                decision, policy, spec, sha), StandardCharsets.UTF_8);

        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("candidate", candidate);
        evaluation.put("current", now);
        evaluation.put("currentVersion", current.getVersion());
        evaluation.put("decision", decision);
        ModelVersion row = versions.addCandidate(new ModelVersion(id, version, ModelVersion.State.WAITING_APPROVAL,
                current.getVersion(), yaml.toString(), onnx.toString(), card.toString(), JSON.writeValueAsString(evaluation),
                train.size(), holdout.size(), highWater, versions.clock().instant()), decision.summary());
        boolean promoted = false;
        if (decision.automatic()) {
            row = versions.putInService(id, version, "policy", decision.summary());
            promoted = true;
        } else if (policy.shadow()) {
            shadow.start(id, yaml);
            versions.setShadow(id, version, true);
        }
        LOG.info("Model {}: candidate {} trained ({} labels, {} held out): {}", id, version, train.size(), holdout.size(),
                decision.summary());
        return new Outcome(row, candidate, now, decision, promoted, card);
    }

    private static void requireBothKinds(String part, List<LabelledExamples.Example> examples, String id) {
        long present = examples.stream().filter(LabelledExamples.Example::present).count();
        if (present == 0 || present == examples.size()) {
            throw new NotEnoughLabels("Model " + id + ": the " + part + " labels need both studies with and without the finding ("
                    + present + " with, " + (examples.size() - present) + " without); capture more signed studies first");
        }
    }

    /** Each example's study probability: the slices' probabilities combined as the YAML combines them. */
    private static double[] studyScores(ModelSpec spec, ModelSession session, String input, String output, String activation,
                                        List<LabelledExamples.Example> examples, int column) throws Exception {
        double[] out = new double[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            List<float[]> slices = examples.get(i).slices();
            int f = slices.get(0).length;
            float[] flat = new float[slices.size() * f];
            for (int j = 0; j < slices.size(); j++) System.arraycopy(slices.get(j), 0, flat, j * f, f);
            float[][] rows = session.run(input, flat, new long[] {slices.size(), f}, output);
            List<ModelResult.SliceResult> results = new ArrayList<>();
            for (int j = 0; j < rows.length; j++) {
                results.add(new ModelResult.SliceResult(j + 1, 0, new float[] {Activation.apply(activation, rows[j])[column]}));
            }
            out[i] = SliceCombiner.combine(spec.decision().combineOrDefault(), results, 0, 0.5).probability();
        }
        return out;
    }

    /** RadLoop's demonstration models and what is retrained from them stay demonstration models. */
    static boolean isDemonstration(ModelSpec spec, ModelVersion current) throws IOException {
        if (spec.id().equals(DemoModelBuilder.CT_HEAD_BLEED) || spec.id().equals(DemoModelBuilder.CHEST_PNEUMOTHORAX)) return true;
        if (current.getCardPath() != null && Files.isRegularFile(Path.of(current.getCardPath()))) {
            return Files.readString(Path.of(current.getCardPath())).toLowerCase().contains(DemoModelBuilder.NOT_FOR_CLINICAL_USE);
        }
        return spec.description() != null && spec.description().toLowerCase().contains("synthetic");
    }

    /** The current YAML with the candidate's version, ONNX file, output column order and threshold. */
    private static String candidateYaml(Path currentYaml, String id, String version, String from, List<String> labelOrder,
                                        String positive, double threshold, boolean demo) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(currentYaml.toFile());
        root.put("version", version);
        root.put("file", ModelVersions.versionedFile(id, version));
        ArrayNode labels = ((ObjectNode) root.get("output")).putArray("labels");
        labelOrder.forEach(labels::add);
        ObjectNode decision = (ObjectNode) root.get("decision").get("labels").get(positive);
        decision.put("threshold", Math.round(threshold * 1000) / 1000.0);
        String header = (demo ? "# Demonstration model, not for clinical use (" + id + ").\n" : "")
                + "# Version " + version + " of " + id + ", retrained by RadLoop from version " + from
                + " on radiologists' labels; model-card.md beside its ONNX file has the measured numbers.\n"
                + "# Schema: conf/schemas/model.schema.json.\n";
        return header + YAML.writeValueAsString(root);
    }
}
