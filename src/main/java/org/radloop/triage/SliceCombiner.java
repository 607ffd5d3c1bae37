package org.radloop.triage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How slice probabilities become one study probability, and which slices drove it. {@code max}
 * suits a finding that may sit on one slice (a small bleed); {@code mean} one that is diffuse;
 * {@code top-k-mean} sits between, robust to one noisy slice.
 */
public final class SliceCombiner {

    public record Combined(double probability, List<Integer> drivingSlices) {
    }

    private SliceCombiner() {
    }

    /**
     * @return the study probability and the instance numbers of the driving slices: the top slice for
     *         max, the k top for top-k-mean, and for mean the slices at or over the threshold (the top
     *         one when none is)
     */
    public static Combined combine(ModelSpec.Combine how, List<ModelResult.SliceResult> slices, int label, double threshold) {
        if (slices.isEmpty()) return new Combined(0, List.of());
        List<ModelResult.SliceResult> ranked = new ArrayList<>(slices);
        ranked.sort(Comparator.comparingDouble((ModelResult.SliceResult s) -> s.probabilities()[label]).reversed());
        String method = how.method() == null ? "max" : how.method();
        switch (method) {
            case "mean" -> {
                double sum = 0;
                for (ModelResult.SliceResult s : slices) sum += s.probabilities()[label];
                List<Integer> over = ranked.stream().filter(s -> s.probabilities()[label] >= threshold)
                        .map(ModelResult.SliceResult::instanceNumber).toList();
                return new Combined(sum / slices.size(), over.isEmpty() ? List.of(ranked.get(0).instanceNumber()) : over);
            }
            case "top-k-mean" -> {
                int k = Math.min(how.k() == null ? 1 : how.k(), ranked.size());
                double sum = 0;
                List<Integer> top = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    sum += ranked.get(i).probabilities()[label];
                    top.add(ranked.get(i).instanceNumber());
                }
                return new Combined(sum / k, top);
            }
            default -> {
                return new Combined(ranked.get(0).probabilities()[label], List.of(ranked.get(0).instanceNumber()));
            }
        }
    }
}
