package org.radloop.learning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.radloop.model.AuditEvent;
import org.radloop.model.Store;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each model version does in service, from what was recorded: volume (studies it ran on) and
 * latency (from {@code ai_finding}), and agreement with the radiologists (from the labels):
 * sensitivity = confirmed flags / (confirmed flags + findings it missed), PPV = confirmed flags /
 * (confirmed + rejected flags). When a version with enough labels falls below its YAML's
 * agreement floor, an alert is raised once (audit event {@code agreement-below-floor}, counter
 * {@code radloop_model_agreement_alerts_total}); gauges {@code radloop_model_agreement} carry the figures.
 */
public final class ModelMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(ModelMonitor.class);

    public record VersionFigures(String version, long studies, double meanLatencyMs, double p95LatencyMs, long confirmed,
                                 long rejected, long missed, long confirmedNegative, Double sensitivity, Double ppv,
                                 boolean belowFloor) {
    }

    private final Store store;
    private final ModelRegistry registry;
    private final MeterRegistry meters;
    private final Map<String, double[]> gauges = new ConcurrentHashMap<>();
    private final Set<String> alerted = ConcurrentHashMap.newKeySet();

    public ModelMonitor(Store store, ModelRegistry registry, MeterRegistry meters) {
        this.store = store;
        this.registry = registry;
        this.meters = meters;
    }

    public List<VersionFigures> figures(String modelId) {
        LearningPolicy policy = registry.status(modelId).map(s -> LearningPolicy.of(s.yaml())).orElse(LearningPolicy.defaults());
        return store.fromTransaction(s -> {
            java.util.TreeSet<String> versions = new java.util.TreeSet<>(s.createQuery(
                    "select distinct modelVersion from AiFinding where modelId = :m", String.class).setParameter("m", modelId).list());
            versions.addAll(s.createQuery("select distinct modelVersion from TrainingLabel where modelId = :m and modelVersion is not null",
                    String.class).setParameter("m", modelId).list());
            List<VersionFigures> out = new ArrayList<>();
            for (String v : versions) {
                List<Long> latencies = s.createQuery("""
                                select max(totalMs) from AiFinding where modelId = :m and modelVersion = :v
                                group by decisionId order by max(totalMs)""", Long.class)
                        .setParameter("m", modelId).setParameter("v", v).list();
                double mean = latencies.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
                double p95 = latencies.isEmpty() ? Double.NaN
                        : latencies.get(Math.max(0, (int) Math.ceil(0.95 * latencies.size()) - 1));
                long[] c = new long[4];
                for (Object[] r : s.createQuery("""
                                select verdict, aiPositive, count(*) from TrainingLabel where modelId = :m and modelVersion = :v
                                group by verdict, aiPositive""", Object[].class)
                        .setParameter("m", modelId).setParameter("v", v).list()) {
                    String verdict = r[0].toString();
                    boolean flagged = Boolean.TRUE.equals(r[1]);
                    long n = ((Number) r[2]).longValue();
                    switch (verdict) {
                        case "CONFIRMED" -> c[flagged ? 0 : 3] += n;
                        case "REJECTED" -> c[1] += n;
                        case "ADDED_MISSED" -> c[2] += n;
                        default -> { }
                    }
                }
                Double sens = c[0] + c[2] == 0 ? null : (double) c[0] / (c[0] + c[2]);
                Double ppv = c[0] + c[1] == 0 ? null : (double) c[0] / (c[0] + c[1]);
                boolean enough = c[0] + c[1] + c[2] >= policy.monitorMinLabels();
                boolean below = enough && ((sens != null && sens < policy.agreementFloor()) || (ppv != null && ppv < policy.agreementFloor()));
                out.add(new VersionFigures(v, latencies.size(), mean, p95, c[0], c[1], c[2], c[3], sens, ppv, below));
            }
            return out;
        });
    }

    /** Updates the gauges and raises an alert for each version newly below its floor; the schedule calls it. */
    public void check() {
        for (ModelSpec spec : registry.specs()) {
            for (VersionFigures f : figures(spec.id())) {
                gauge(spec.id(), f.version(), "sensitivity", f.sensitivity());
                gauge(spec.id(), f.version(), "ppv", f.ppv());
                String key = spec.id() + "@" + f.version();
                if (!f.belowFloor()) {
                    alerted.remove(key);
                    continue;
                }
                if (!alerted.add(key)) continue;
                String detail = String.format("version %s: sensitivity %s, PPV %s against the radiologists, below the floor "
                        + "(%d confirmed, %d rejected, %d missed)", f.version(), ModelCard.fmt(nan(f.sensitivity())),
                        ModelCard.fmt(nan(f.ppv())), f.confirmed(), f.rejected(), f.missed());
                store.inTransaction(s -> s.persist(new AuditEvent("learning", "agreement-below-floor", "model", spec.id(), detail)));
                if (meters != null) {
                    Counter.builder("radloop_model_agreement_alerts").description("Model versions whose agreement with radiologists fell below the floor")
                            .tag("model", spec.id()).tag("version", f.version()).register(meters).increment();
                }
                LOG.warn("Model {} {}", spec.id(), detail);
            }
        }
    }

    private void gauge(String model, String version, String measure, Double value) {
        if (meters == null) return;
        double[] holder = gauges.computeIfAbsent(model + "@" + version + "#" + measure, k -> {
            double[] h = {Double.NaN};
            Gauge.builder("radloop_model_agreement", h, x -> x[0])
                    .description("Agreement of a model version with the radiologists' verdicts")
                    .tag("model", model).tag("version", version).tag("measure", measure).register(meters);
            return h;
        });
        holder[0] = nan(value);
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }
}
