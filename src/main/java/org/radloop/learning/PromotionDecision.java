package org.radloop.learning;

import java.util.ArrayList;
import java.util.List;

/**
 * The promotion policy applied to a candidate measured beside the current version on the same
 * held-out labels: automatic when the candidate's AUC is better by at least the margin and it is
 * worse on nothing (AUC, sensitivity, specificity, Brier score) by more than the tolerance; otherwise
 * it waits for a person's approval. Every comparison is written down as a reason.
 *
 * <p>Sensitivity and specificity are compared at the current version's operating point: the
 * candidate's best sensitivity with at least the current specificity, and its best specificity with
 * at least the current sensitivity. Comparing each model at its own threshold would judge the
 * threshold, not the model: a current version that flags every study has sensitivity 1.0, and any
 * candidate that stops flagging normal studies would look "worse" by one missed case in a hold-out
 * of a dozen, however well it separates them. The candidate's own operating point (its threshold,
 * sensitivity and specificity) is stated in the model card.
 */
public record PromotionDecision(boolean automatic, boolean better, boolean worseOnNothing, List<String> reasons) {

    public static PromotionDecision decide(LearningPolicy policy, Measures candidate, Measures.AtOperatingPoint candidateAtCurrent,
                                           Measures current) {
        List<String> reasons = new ArrayList<>();
        double gain = candidate.auc() - current.auc();
        boolean better = !Double.isNaN(gain) && gain >= policy.margin();
        reasons.add(String.format("AUC %.3f vs %.3f (%+.3f, margin %.3f): %s", candidate.auc(), current.auc(), gain,
                policy.margin(), better ? "better" : "not better by the margin"));
        boolean ok = true;
        ok &= notWorse(reasons, "AUC", candidate.auc(), current.auc(), policy.tolerance(), true);
        ok &= notWorse(reasons, String.format("sensitivity at the current specificity %.3f", current.specificity()),
                candidateAtCurrent.sensitivityAtSpecificity(), current.sensitivity(), policy.tolerance(), true);
        ok &= notWorse(reasons, String.format("specificity at the current sensitivity %.3f", current.sensitivity()),
                candidateAtCurrent.specificityAtSensitivity(), current.specificity(), policy.tolerance(), true);
        ok &= notWorse(reasons, "Brier score", candidate.brier(), current.brier(), policy.tolerance(), false);
        boolean automatic = LearningPolicy.AUTOMATIC.equals(policy.promotion()) && better && ok;
        if (!LearningPolicy.AUTOMATIC.equals(policy.promotion())) reasons.add("promotion mode is '" + policy.promotion() + "': a person approves");
        return new PromotionDecision(automatic, better, ok, reasons);
    }

    private static boolean notWorse(List<String> reasons, String name, double candidate, double current, double tolerance,
                                    boolean higherIsBetter) {
        if (Double.isNaN(candidate) || Double.isNaN(current)) {
            reasons.add(name + " cannot be compared (no cases of one class in the held-out labels)");
            // A candidate that cannot be measured where the current one can is not "not worse".
            return Double.isNaN(current);
        }
        double worseBy = higherIsBetter ? current - candidate : candidate - current;
        boolean ok = worseBy <= tolerance;
        if (!ok) reasons.add(String.format("%s %.3f vs %.3f: worse by %.3f, more than the tolerance %.3f", name, candidate,
                current, worseBy, tolerance));
        return ok;
    }

    public String summary() {
        return (automatic ? "promoted automatically: " : "waiting for approval: ") + String.join("; ", reasons);
    }
}
