package org.radloop.learning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.radloop.config.SchemaValidator;
import org.radloop.model.ShadowRun;
import org.radloop.model.Store;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.ModelResult;
import org.radloop.triage.ModelRunner;
import org.radloop.triage.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow mode: a candidate version runs beside the version in service on live studies, and only
 * its agreement is recorded ({@code shadow_run}); it never adds a finding, a reason or a point to
 * triage. Candidates live in a registry of their own over {@code <data>/learning/shadow/}, so they
 * load, run and fail exactly as a model in service would, without touching the triage registry.
 *
 * <p>The triage stage calls {@link #observe} after it has made and recorded its decision, with the
 * results of the versions in service; a candidate runs only on studies its model in service ran on.
 */
public final class ShadowMode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowMode.class);

    private final Path dir;
    private final ModelRegistry candidates;
    private final ModelRunner runner;
    private final Store store;
    private final Clock clock;

    public ShadowMode(Path dataDir, SchemaValidator validator, Duration timeLimit, Store store, Clock clock) {
        this.dir = dataDir.resolve("learning/shadow");
        this.candidates = new ModelRegistry(dir, dataDir, validator, 1, timeLimit, null);
        this.runner = new ModelRunner(candidates);
        this.store = store;
        this.clock = clock;
        candidates.reload();
    }

    /** Puts a candidate (its version YAML) in shadow, replacing any earlier candidate of the model. */
    public synchronized void start(String modelId, Path versionYaml) {
        try {
            Files.createDirectories(dir);
            ModelVersions.writeAtomically(dir.resolve(modelId + ".yaml"), Files.readString(versionYaml));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot put " + modelId + " in shadow: " + e.getMessage(), e);
        }
        candidates.reload();
        candidates.spec(modelId).flatMap(candidates::unavailableReason)
                .ifPresent(r -> LOG.warn("Shadow candidate of {} does not run: {}", modelId, r));
    }

    public synchronized void stop(String modelId) {
        try {
            Files.deleteIfExists(dir.resolve(modelId + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        candidates.reload();
    }

    /** The candidate in shadow for a model, if any. */
    public java.util.Optional<ModelSpec> candidate(String modelId) {
        return candidates.spec(modelId);
    }

    /**
     * Runs each candidate in shadow whose model in service ran on this study, and records what both
     * said. Never throws: a shadow problem is logged and the study goes on.
     */
    public List<ShadowRun> observe(String facility, String studyUid, List<Path> files, List<ModelResult> inService) {
        List<ShadowRun> runs = new ArrayList<>();
        for (ModelResult current : inService) {
            if (!current.ran()) continue;
            ModelSpec candidate = candidates.spec(current.modelId()).orElse(null);
            if (candidate == null || candidate.version().equals(current.modelVersion())) continue;
            try {
                ModelResult r = runner.run(candidate, files);
                if (!r.ran()) continue;
                for (var label : candidate.decision().labels().entrySet()) {
                    double p = r.studyProbability(label.getKey());
                    Double cp = current.studyProbabilities().get(label.getKey());
                    Double ct = current.thresholds().get(label.getKey());
                    runs.add(new ShadowRun(candidate.id(), current.modelVersion(), candidate.version(), facility, studyUid,
                            label.getKey(), cp, p, cp == null || ct == null ? null : cp >= ct, p >= label.getValue().threshold(),
                            r.timings().totalMs(), clock.instant()));
                }
            } catch (RuntimeException e) {
                LOG.warn("Shadow candidate {} {} failed on a study of {}: {}", candidate.id(), candidate.version(), facility, e.toString());
            }
        }
        if (!runs.isEmpty()) store.inTransaction(s -> runs.forEach(s::persist));
        return runs;
    }

    /** Share of shadow runs where candidate and current agreed, and how many runs: per candidate version. */
    public record Agreement(String candidateVersion, long runs, long agreed) {
        public double rate() {
            return runs == 0 ? Double.NaN : (double) agreed / runs;
        }
    }

    public List<Agreement> agreement(String modelId) {
        return store.fromTransaction(s -> s.createQuery("""
                        select candidateVersion, count(*), sum(case when agree = true then 1 else 0 end)
                        from ShadowRun where modelId = :m and agree is not null group by candidateVersion order by candidateVersion""",
                        Object[].class).setParameter("m", modelId).list().stream()
                .map(r -> new Agreement((String) r[0], ((Number) r[1]).longValue(), r[2] == null ? 0 : ((Number) r[2]).longValue()))
                .toList());
    }

    @Override
    public void close() {
        candidates.close();
    }
}
