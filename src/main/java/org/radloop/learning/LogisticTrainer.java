package org.radloop.learning;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.radloop.triage.FeatureExtractors;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the logistic regression RadLoop uses for flat-feature models and writes it as ONNX: the
 * learning loop retrains with it on radiologists' labels, and the demonstration model builder
 * (org.radloop.triage.demo) uses it on synthetic phantoms. It lives here, not in the demo package,
 * because retraining in service depends on it.
 */
public final class LogisticTrainer {

    private LogisticTrainer() {
    }

    /** A trained logistic regression and its output column order (Tribuo's label ids). */
    public record Trained(LinearSGDModel model, List<String> labelOrder) {
    }

    /** LinearSGD, log loss, AdaGrad; features named as {@link FeatureExtractors#featureName(int)}. */
    public static Trained train(List<float[]> x, List<Boolean> y, String positive, String negative, long seed,
                                int epochs, String provenance) {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(provenance, labels), labels);
        for (int i = 0; i < x.size(); i++) {
            ArrayExample<Label> example = new ArrayExample<>(new Label(y.get(i) ? positive : negative));
            float[] f = x.get(i);
            for (int j = 0; j < f.length; j++) example.add(FeatureExtractors.featureName(j), f[j]);
            data.add(example);
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), epochs, seed);
        LinearSGDModel model = trainer.train(data);
        List<String> labelOrder = new ArrayList<>();
        for (Pair<Integer, Label> p : model.getOutputIDInfo()) {
            while (labelOrder.size() <= p.getA()) labelOrder.add(null);
            labelOrder.set(p.getA(), p.getB().getLabel());
        }
        return new Trained(model, labelOrder);
    }

    /**
     * Exports to ONNX without Tribuo's provenance (it carries the training time, so the same seed
     * gives the same bytes), written aside and moved into place: a running registry must never load
     * a half-written file.
     */
    public static void writeOnnx(Trained trained, Path onnx, String docString) throws IOException {
        Files.createDirectories(onnx.getParent());
        OnnxMl.ModelProto proto = trained.model().exportONNXModel("org.radloop.demo", 1).toBuilder().clearMetadataProps()
                .setDocString(docString).build();
        Path partial = onnx.resolveSibling(onnx.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            proto.writeTo(out);
        }
        Files.move(partial, onnx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The SHA-256 of a model file, as its model card and version row record it. */
    public static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
