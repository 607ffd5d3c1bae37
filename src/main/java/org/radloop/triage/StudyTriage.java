package org.radloop.triage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triages one study: every available model whose selectors match runs on it, the clinical rules read
 * its order and descriptions, and {@link PriorityPolicy} turns both and the time waited into one
 * decision. A model that is unavailable, skips the study or fails only adds a reason: the decision
 * is always made, from the rules when no model could help.
 */
public final class StudyTriage {

    private static final Logger LOG = LoggerFactory.getLogger(StudyTriage.class);

    private final ModelRegistry models;
    private final ModelRunner runner;
    private final ClinicalRules rules;
    private final PriorityPolicy policy;

    public StudyTriage(ModelRegistry models, ClinicalRules rules, PriorityPolicy policy) {
        this.models = models;
        this.runner = new ModelRunner(models);
        this.rules = rules;
        this.policy = policy;
    }

    public TriageDecision triage(StudyFacts study, Instant now) {
        List<ModelResult> results = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<Reason> modelReasons = new ArrayList<>();
        for (ModelSpec spec : models.specs()) {
            try {
                if (!spec.selectsStudy(study.facility(), study.modality(), study.bodyPart())) continue;
                var unavailable = models.unavailableReason(spec);
                if (unavailable.isPresent()) {
                    modelReasons.add(new Reason(Reason.Kind.MODEL, "model-unavailable:" + spec.id(),
                            "Model " + spec.id() + " " + spec.version() + " is unavailable (" + unavailable.get()
                                    + "); triaged without it", 0));
                    continue;
                }
                ModelResult r = runner.run(spec, study.files());
                results.add(r);
                if (r.ran()) {
                    findings.addAll(r.findings());
                } else {
                    modelReasons.add(new Reason(Reason.Kind.MODEL, (r.failed() ? "model-failed:" : "model-skipped:") + spec.id(),
                            "Model " + spec.id() + " " + spec.version() + " did not contribute: " + r.skippedReason(), 0));
                }
            } catch (RuntimeException e) {
                // A model's problem is never the study's: record it and go on with the rest.
                LOG.warn("Model {} could not run on a study of {}: {}", spec.id(), study.facility(), e.toString());
                modelReasons.add(new Reason(Reason.Kind.MODEL, "model-failed:" + spec.id(),
                        "Model " + spec.id() + " failed: " + e.getMessage(), 0));
            }
        }
        ClinicalRules.Outcome outcome = rules.evaluate(study.order(), study.descriptions());
        return policy.decide(findings, outcome, study.waitingSince(), now, study.turnaround(), results, modelReasons);
    }
}
