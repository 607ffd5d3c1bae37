package org.radloop.learning;

import java.time.Clock;
import java.time.Duration;
import org.radloop.config.RadLoopSettings;
import org.radloop.config.SchemaValidator;
import org.radloop.model.Store;
import org.radloop.triage.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The learning stage, put together once per engine: label capture at signing, the version book,
 * shadow mode, retraining, monitoring, the schedule and the dataset export.
 */
public final class Learning implements AutoCloseable {

    private final LabelCapture capture;
    private final ModelVersions versions;
    private final ShadowMode shadow;
    private final Retrainer retrainer;
    private final ModelMonitor monitor;
    private final LearningSchedule schedule;
    private final LearningExport export;

    public Learning(RadLoopSettings settings, Store store, ModelRegistry registry, MeterRegistry meters, Clock clock) {
        this.capture = new LabelCapture(store, clock);
        this.shadow = new ShadowMode(settings.dataDir(), new SchemaValidator(settings.confDir().resolve("schemas")),
                Duration.ofMillis(settings.getLong("radloop.models.time.limit.ms", 10_000)), store, clock);
        this.versions = new ModelVersions(store, registry, settings.dataDir(), clock, shadow);
        this.retrainer = new Retrainer(store, registry, versions, shadow);
        this.monitor = new ModelMonitor(store, registry, meters);
        this.schedule = new LearningSchedule(registry, versions, retrainer, monitor, clock);
        this.export = new LearningExport(store, settings.dataDir(), clock);
    }

    public LabelCapture capture() { return capture; }
    public ModelVersions versions() { return versions; }
    public ShadowMode shadow() { return shadow; }

    /** Shadow mode as the triage stage sees it: candidates run on each triaged study beside the version in service. */
    public org.radloop.triage.TriageObserver shadowObserver() {
        return (studyUid, facts, decision) -> shadow.observe(facts.facility(), studyUid, facts.files(), decision.modelResults());
    }
    public Retrainer retrainer() { return retrainer; }
    public ModelMonitor monitor() { return monitor; }
    public LearningSchedule schedule() { return schedule; }
    public LearningExport export() { return export; }

    @Override
    public void close() {
        shadow.close();
    }
}
