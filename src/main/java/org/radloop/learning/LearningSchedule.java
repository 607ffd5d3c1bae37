package org.radloop.learning;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.radloop.model.ModelVersion;
import org.radloop.model.TrainingLabel;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the timer route {@code routes/learning.yaml} runs: for each model whose YAML has a
 * {@code learning.retrain} section, retrains when enough new labels came in since the last candidate
 * ({@code everyLabels}) or when {@code everyHours} passed with new labels, once it has
 * {@code minLabels} in all; then the monitor checks agreement. A model that cannot be retrained yet
 * (too few labels of one kind) is logged and tried again at the next tick.
 */
public final class LearningSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(LearningSchedule.class);

    private final ModelRegistry registry;
    private final ModelVersions versions;
    private final Retrainer retrainer;
    private final ModelMonitor monitor;
    private final Clock clock;

    public LearningSchedule(ModelRegistry registry, ModelVersions versions, Retrainer retrainer, ModelMonitor monitor, Clock clock) {
        this.registry = registry;
        this.versions = versions;
        this.retrainer = retrainer;
        this.monitor = monitor;
        this.clock = clock;
    }

    /** @return the models retrained in this tick */
    public List<String> tick() {
        List<String> retrained = new java.util.ArrayList<>();
        for (ModelSpec spec : registry.specs()) {
            try {
                if (registry.unavailableReason(spec).isPresent()) continue;
                LearningPolicy policy = registry.status(spec.id()).map(s -> LearningPolicy.of(s.yaml())).orElse(LearningPolicy.defaults());
                if (!policy.configured() || (policy.everyLabels() <= 0 && policy.everyHours() <= 0)) continue;
                List<ModelVersion> known = versions.list(spec.id());
                long highWater = known.stream().mapToLong(ModelVersion::getLabelHighWater).max().orElse(0);
                // One read of the labels: the fresh ones are those past the newest version's high water.
                List<TrainingLabel> labels = retrainer.labels(spec);
                int all = labels.size();
                int fresh = (int) labels.stream().filter(l -> l.getId() > highWater).count();
                if (all < policy.minLabels() || fresh == 0) continue;
                var last = known.stream().map(ModelVersion::getCreatedAt).max(java.util.Comparator.naturalOrder()).orElse(null);
                boolean byCount = policy.everyLabels() > 0 && fresh >= policy.everyLabels();
                boolean byTime = policy.everyHours() > 0 && (last == null
                        || Duration.between(last, clock.instant()).compareTo(Duration.ofHours(policy.everyHours())) >= 0);
                if (!byCount && !byTime) continue;
                retrainer.retrain(spec.id(), byCount ? fresh + " new labels" : "every " + policy.everyHours() + " h");
                retrained.add(spec.id());
            } catch (Retrainer.NotEnoughLabels e) {
                LOG.info("Not retraining yet: {}", e.getMessage());
            } catch (Exception e) {
                LOG.warn("Scheduled retraining of {} failed: {}", spec.id(), e.toString());
            }
        }
        try {
            monitor.check();
        } catch (RuntimeException e) {
            LOG.warn("Model monitoring failed: {}", e.toString());
        }
        return retrained;
    }
}
