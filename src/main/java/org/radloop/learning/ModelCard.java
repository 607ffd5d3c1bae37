package org.radloop.learning;

import java.util.List;
import java.util.Locale;
import org.radloop.triage.ModelSpec;
import org.radloop.triage.demo.DemoModelBuilder;

/** The model card of a retrained candidate: what it learnt from, and both versions measured on the same held-out labels. */
final class ModelCard {

    private ModelCard() {
    }

    static String write(String id, String version, String from, boolean demo, String trigger, List<LabelledExamples.Example> train,
                        List<LabelledExamples.Example> holdout, Measures candidate, Measures current, PromotionDecision decision,
                        LearningPolicy policy, ModelSpec spec, String sha256) {
        StringBuilder b = new StringBuilder();
        b.append("# Model card: ").append(id).append(' ').append(version).append("\n\n");
        if (demo) {
            b.append("**This is a ").append(DemoModelBuilder.NOT_FOR_CLINICAL_USE).append(".** It descends from RadLoop's ")
                    .append("demonstration model, trained on synthetic phantoms and labels on them; it says nothing about real patients.\n\n");
        }
        b.append("## How it was made\n")
                .append("- Retrained from version ").append(from).append(" (").append(trigger).append(") on radiologists' labels: ")
                .append(train.size()).append(" labelled studies to train (").append(count(train, true)).append(" with the finding, ")
                .append(count(train, false)).append(" without), ").append(holdout.size()).append(" held out (")
                .append(count(holdout, true)).append(" with, ").append(count(holdout, false)).append(" without), chosen by a hash of ")
                .append("the Study Instance UID (fraction ").append(fmt(policy.holdoutFraction())).append(").\n")
                .append("- Features: the model's own pipeline (`conf/models/").append(id).append(".yaml`, extractors ")
                .append(spec.preprocessing().features()).append("), one vector per slice; a finding's slices are positive, ")
                .append("every sampled slice of a study without it negative.\n")
                .append("- Model: Tribuo logistic regression (LinearSGD, log loss, AdaGrad, ").append(policy.epochs())
                .append(" epochs, seed ").append(policy.seed()).append("), exported to ONNX.\n")
                .append("- ONNX file: `model.onnx`, SHA-256 `").append(sha256).append("`.\n")
                .append("- Threshold ").append(fmt(candidate.threshold())).append(": on the training labels, the score maximising sensitivity + specificity (Youden's J).\n\n");
        b.append("## Candidate against the version in service, on the same held-out labels\n\n")
                .append("| measure | candidate ").append(version).append(" | current ").append(from).append(" |\n|---|---|---|\n");
        row(b, "AUC", candidate.auc(), current.auc());
        row(b, "sensitivity at threshold", candidate.sensitivity(), current.sensitivity());
        row(b, "specificity at threshold", candidate.specificity(), current.specificity());
        row(b, "Brier score (lower is better)", candidate.brier(), current.brier());
        row(b, "threshold", candidate.threshold(), current.threshold());
        b.append("\n## Calibration (reliability bins on the held-out labels)\n\n");
        bins(b, "candidate " + version, candidate);
        bins(b, "current " + from, current);
        b.append("\n## Promotion\n")
                .append("Policy: mode ").append(policy.promotion()).append(", margin ").append(fmt(policy.margin()))
                .append(" AUC, tolerance ").append(fmt(policy.tolerance())).append(".\n\n")
                .append(decision.automatic() ? "**Promoted automatically.**" : "**Waiting for approval** (`POST /api/models/" + id
                        + "/versions/" + version + "/approve`).").append("\n\n");
        for (String r : decision.reasons()) b.append("- ").append(r).append('\n');
        return b.toString();
    }

    private static long count(List<LabelledExamples.Example> e, boolean present) {
        return e.stream().filter(x -> x.present() == present).count();
    }

    private static void row(StringBuilder b, String name, double candidate, double current) {
        b.append("| ").append(name).append(" | ").append(fmt(candidate)).append(" | ").append(fmt(current)).append(" |\n");
    }

    private static void bins(StringBuilder b, String title, Measures m) {
        b.append("**").append(title).append("**\n\n| probability | studies | mean probability | share with the finding |\n|---|---|---|---|\n");
        for (Measures.Bin bin : m.reliability()) {
            b.append("| ").append(fmt(bin.from())).append("-").append(fmt(bin.to())).append(" | ").append(bin.count()).append(" | ")
                    .append(fmt(bin.meanProbability())).append(" | ").append(fmt(bin.observedRate())).append(" |\n");
        }
        b.append('\n');
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
