package org.radloop.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.radloop.config.ConfigProblem;
import org.radloop.model.Store;
import org.radloop.triage.ModelRegistry;

/**
 * {@code GET /api/models}: every triage model configured in {@code conf/models/}, whether it runs
 * (available, or unavailable with the reason: missing or broken ONNX file, a failed or timed-out
 * run), its version, and what it has done: studies it ran on and studies it found positive (from the
 * stored findings, so they survive a restart), and runs, skips and failures since the engine started.
 * Model files that were refused are listed with their problems (file, line, field, reason).
 */
final class ModelListing {

    /** Counted from ai_finding for this model version. */
    record StudyCounts(long run, long positive) {
    }

    /** Counted by the model registry since the engine started. */
    record SinceStart(long runs, long skipped, long failures) {
    }

    record ModelView(String id, String version, String task, String state, String reason, Instant since, String file,
                     StudyCounts studies, SinceStart sinceStart) {
    }

    record RefusedFile(String file, List<FacilityListing.Problem> problems) {
    }

    record Listing(int count, List<ModelView> models, List<RefusedFile> refused) {
    }

    private final ModelRegistry registry;
    private final Store store;

    ModelListing(ModelRegistry registry, Store store) {
        this.registry = registry;
        this.store = store;
    }

    Listing list(JsonEndpoint.ApiRequest request) {
        request.query(java.util.Set.of());
        Map<String, long[]> counts = studyCounts();
        List<ModelView> views = new ArrayList<>();
        for (ModelRegistry.ModelStatus m : registry.statuses()) {
            long[] c = counts.getOrDefault(m.id() + "\u0000" + m.version(), new long[2]);
            views.add(new ModelView(m.id(), m.version(), m.task(), m.state().name().toLowerCase(Locale.ROOT), m.reason(),
                    m.since(), m.onnx() == null ? null : m.onnx().toString(), new StudyCounts(c[0], c[1]),
                    new SinceStart(m.runs(), m.skipped(), m.failures())));
        }
        List<RefusedFile> refused = new ArrayList<>();
        for (Map.Entry<Path, List<ConfigProblem>> e : registry.refused().entrySet()) {
            refused.add(new RefusedFile(String.valueOf(e.getKey()), e.getValue().stream().map(FacilityListing.Problem::of).toList()));
        }
        refused.sort(Comparator.comparing(RefusedFile::file));
        return new Listing(views.size(), views, refused);
    }

    /** model id + NUL + version to {studies run, studies positive}. */
    private Map<String, long[]> studyCounts() {
        return store.fromTransaction(s -> {
            Map<String, long[]> out = new HashMap<>();
            for (Object[] row : s.createQuery("select f.modelId, f.modelVersion, count(distinct f.studyUid) from AiFinding f"
                    + " group by f.modelId, f.modelVersion", Object[].class).list()) {
                out.computeIfAbsent(row[0] + "\u0000" + row[1], k -> new long[2])[0] = (Long) row[2];
            }
            for (Object[] row : s.createQuery("select f.modelId, f.modelVersion, count(distinct f.studyUid) from AiFinding f"
                    + " where f.positive = true group by f.modelId, f.modelVersion", Object[].class).list()) {
                out.computeIfAbsent(row[0] + "\u0000" + row[1], k -> new long[2])[1] = (Long) row[2];
            }
            return out;
        });
    }
}
