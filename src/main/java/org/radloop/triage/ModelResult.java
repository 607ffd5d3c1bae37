package org.radloop.triage;

import java.util.List;
import java.util.Map;

/**
 * What one model said about one study: per-slice probabilities, the study-level probability per
 * label and the slices that drove it, the findings over threshold, and how long each step took.
 * {@code thresholds} holds the threshold of each label that stands for a finding. When the model did not run, {@code skippedReason} says why (no matching series, undecodable
 * pixels, model unavailable, run failed or timed out) and the study goes on without it.
 */
public record ModelResult(String modelId, String modelVersion, String seriesUid, List<String> labels,
                          List<SliceResult> slices, Map<String, Double> studyProbabilities, Map<String, Double> thresholds,
                          Map<String, List<Integer>> drivingSlices, List<Finding> findings, Timings timings,
                          String skippedReason, boolean failed) {

    /** One slice's probabilities, in label order. */
    public record SliceResult(int instanceNumber, int frame, float[] probabilities) {
    }

    /** Milliseconds spent reading DICOM, preprocessing, in ONNX Runtime, and overall. */
    public record Timings(long readMs, long preprocessMs, long inferenceMs, long totalMs) {
    }

    public boolean ran() {
        return skippedReason == null;
    }

    public double studyProbability(String label) {
        Double p = studyProbabilities.get(label);
        return p == null ? Double.NaN : p;
    }

    static ModelResult skipped(ModelSpec spec, String seriesUid, String reason, boolean failed, Timings timings) {
        return new ModelResult(spec.id(), spec.version(), seriesUid, spec.output().labels(), List.of(), Map.of(), Map.of(),
                Map.of(), List.of(), timings, reason, failed);
    }
}
