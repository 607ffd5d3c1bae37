package org.radloop.learning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.radloop.model.TrainingLabel;
import org.radloop.triage.DicomSlices;
import org.radloop.triage.FeatureExtractors;
import org.radloop.triage.ModelRunner;
import org.radloop.triage.ModelSpec;
import org.radloop.triage.SlicePreprocessor;

/**
 * The radiologists' labels of one model as training examples, computed with the model's own
 * pipeline (PixelMed pixels, the YAML's windows, resize, normalisation and feature extractors), so
 * a candidate learns from exactly the numbers RadLoop will feed it.
 *
 * <p>One example per label: its truth (the finding is there or not) and one feature vector per
 * slice. A "present" label carries the slices the finding is on; an "absent" one the whole series,
 * sampled as the YAML samples it.
 */
public final class LabelledExamples {

    /** One label's slices. {@code holdout}: kept aside to compare candidate and current. */
    public record Example(long labelId, String studyUid, boolean present, List<float[]> slices, boolean holdout) {
    }

    private LabelledExamples() {
    }

    /** Labels that teach this model: its own, and missed findings of one of its decision labels. */
    public static boolean teaches(ModelSpec spec, TrainingLabel l) {
        if (l.getModelId() != null) return l.getModelId().equals(spec.id()) && spec.decision().labels().containsKey(l.getLabel());
        return spec.decision().labels().containsKey(l.getLabel());
    }

    /**
     * @param holdoutFraction share of studies kept aside, chosen by a hash of the Study Instance UID
     *                        so that a study is always on the same side, whichever run
     */
    public static List<Example> of(ModelSpec spec, List<TrainingLabel> labels, double holdoutFraction) throws IOException {
        if (!spec.input().flat()) {
            throw new IllegalArgumentException("Model " + spec.id() + " takes " + spec.input().layout()
                    + " input; RadLoop retrains flat-feature models only (an NCHW model is retrained outside RadLoop)");
        }
        List<Example> out = new ArrayList<>();
        for (TrainingLabel l : labels) {
            List<Path> files = l.getInstanceFiles().stream().filter(Files::isRegularFile).toList();
            if (files.isEmpty()) continue;
            List<float[]> slices = features(spec, l.findingPresent() ? files : sample(spec, files));
            if (slices.isEmpty()) continue;
            out.add(new Example(l.getId(), l.getStudyUid(), l.findingPresent(), slices, inHoldout(l.getStudyUid(), holdoutFraction)));
        }
        return out;
    }

    static boolean inHoldout(String studyUid, double fraction) {
        int bucket = Math.floorMod(studyUid.hashCode() * 0x9E3779B1, 1000);
        return bucket < fraction * 1000;
    }

    /** One feature vector per frame, exactly as {@code ModelRunner} computes them for a flat model. */
    static List<float[]> features(ModelSpec spec, List<Path> files) throws IOException {
        boolean rescale = spec.preprocessing() == null || spec.preprocessing().rescaleOrDefault();
        List<String> extractors = spec.preprocessing().features();
        List<float[]> out = new ArrayList<>();
        for (Path f : files) {
            try {
                for (DicomSlices.Slice s : DicomSlices.read(DicomSlices.header(f), rescale)) {
                    ModelSpec.Size size = SlicePreprocessor.targetSize(spec, s.rows(), s.columns());
                    float[][] ch = SlicePreprocessor.channels(spec, s.values(), s.rows(), s.columns());
                    out.add(FeatureExtractors.extract(extractors, ch[0], size.height(), size.width()));
                }
            } catch (DicomSlices.UndecodablePixels e) {
                // The model would skip this series too; it teaches nothing.
            }
        }
        return out;
    }

    /** The YAML's sampling (every Nth, at most maxSlices spread evenly) over the series in instance order, as ModelRunner samples. */
    static List<Path> sample(ModelSpec spec, List<Path> files) throws IOException {
        List<DicomSlices.Header> headers = new ArrayList<>();
        for (Path f : files) headers.add(DicomSlices.header(f));
        headers.sort(Comparator.comparingInt(DicomSlices.Header::instanceNumber));
        return ModelRunner.sample(spec, headers).stream().map(DicomSlices.Header::file).toList();
    }
}
