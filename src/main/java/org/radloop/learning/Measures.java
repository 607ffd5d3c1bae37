package org.radloop.learning;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a model's study probabilities match the radiologists on held-out labels: AUC,
 * sensitivity and specificity at the model's threshold, and calibration (Brier score, the mean
 * squared gap between probability and truth, and reliability bins: in each tenth of probability,
 * how often the finding really was there).
 */
public record Measures(double auc, double threshold, double sensitivity, double specificity, double brier,
                       List<Bin> reliability, int positives, int negatives) {

    /**
     * Sensitivity and specificity at one threshold (NaN for a missing class), without the AUC: the
     * threshold searches below try every score, and the AUC (all positive-negative pairs) does not
     * change with the threshold.
     */
    private static double[] rates(double[] scores, List<Boolean> truth, double threshold) {
        long pos = 0, neg = 0, tp = 0, tn = 0;
        for (int i = 0; i < scores.length; i++) {
            if (truth.get(i)) {
                pos++;
                if (scores[i] >= threshold) tp++;
            } else {
                neg++;
                if (scores[i] < threshold) tn++;
            }
        }
        return new double[] {pos == 0 ? Double.NaN : (double) tp / pos, neg == 0 ? Double.NaN : (double) tn / neg};
    }

    /** Studies whose probability fell in [from, to): how many, their mean probability, the share truly positive. */
    public record Bin(double from, double to, int count, double meanProbability, double observedRate) {
    }

    /**
     * The operating point for a candidate, from its training labels: the score that maximises
     * sensitivity + specificity (Youden's J), rounded up to 0.001. With the tens of labels a retraining
     * starts from, a fixed high-specificity target cannot be estimated; Youden's point can.
     */
    public static double youdenThreshold(double[] scores, List<Boolean> truth) {
        double best = 0.5, bestJ = -1;
        for (double candidate : scores) {
            double t = Math.ceil(candidate * 1000) / 1000;
            double[] r = rates(scores, truth, t);
            double j = r[0] + r[1];
            if (j > bestJ + 1e-12) {
                bestJ = j;
                best = t;
            }
        }
        return Math.min(0.99, Math.max(0.01, best));
    }

    /**
     * The candidate's curve at another model's operating point: its best sensitivity among thresholds
     * whose specificity is at least {@code specificity}, and its best specificity among thresholds
     * whose sensitivity is at least {@code sensitivity}. NaN when one class is missing.
     */
    public record AtOperatingPoint(double sensitivityAtSpecificity, double specificityAtSensitivity) {
    }

    public static AtOperatingPoint at(double[] scores, List<Boolean> truth, double sensitivity, double specificity) {
        double bestSens = Double.NaN, bestSpec = Double.NaN;
        List<Double> thresholds = new ArrayList<>();
        thresholds.add(0.0);
        thresholds.add(Double.POSITIVE_INFINITY);
        for (double s : scores) thresholds.add(s);
        for (double t : thresholds) {
            double[] r = rates(scores, truth, t);
            double sens = r[0], spec = r[1];
            if (Double.isNaN(sens) || Double.isNaN(spec)) return new AtOperatingPoint(Double.NaN, Double.NaN);
            if (spec >= specificity - 1e-9 && !(sens <= bestSens)) bestSens = sens;
            if (sens >= sensitivity - 1e-9 && !(spec <= bestSpec)) bestSpec = spec;
        }
        return new AtOperatingPoint(bestSens, bestSpec);
    }

    /** AUC by the Mann-Whitney statistic (ties count half); sensitivity and specificity at the threshold. */
    public static Measures of(double[] scores, List<Boolean> truth, double threshold) {
        List<Double> positives = new ArrayList<>(), negatives = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) (truth.get(i) ? positives : negatives).add(scores[i]);
        double wins = 0;
        for (double p : positives) for (double n : negatives) wins += p > n ? 1 : p == n ? 0.5 : 0;
        double auc = positives.isEmpty() || negatives.isEmpty() ? Double.NaN
                : wins / ((double) positives.size() * negatives.size());
        double[] r = rates(scores, truth, threshold);
        double brier = 0;
        int bins = 10;
        int[] n = new int[bins];
        double[] p = new double[bins], pos = new double[bins];
        for (int i = 0; i < scores.length; i++) {
            double y = truth.get(i) ? 1 : 0;
            brier += (scores[i] - y) * (scores[i] - y);
            int b = Math.min(bins - 1, Math.max(0, (int) (scores[i] * bins)));
            n[b]++;
            p[b] += scores[i];
            pos[b] += y;
        }
        List<Bin> reliability = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (n[b] == 0) continue;
            reliability.add(new Bin(b / (double) bins, (b + 1) / (double) bins, n[b], p[b] / n[b], pos[b] / n[b]));
        }
        return new Measures(auc, threshold, r[0], r[1], scores.length == 0 ? Double.NaN : brier / scores.length,
                reliability, positives.size(), negatives.size());
    }
}
