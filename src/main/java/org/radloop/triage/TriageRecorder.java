package org.radloop.triage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.hibernate.Session;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.SliceNumbers;
import org.radloop.model.Store;
import org.radloop.model.TriageRecord;

/**
 * Keeps a triage decision in the store, in one transaction: the decision with its reasons, one
 * {@link AiFinding} per label of every model that ran (model id and version, probability, slices,
 * timing), and an audit event.
 */
public final class TriageRecorder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;

    public TriageRecorder(Store store) {
        this.store = store;
    }

    /** @return the decision's id */
    public long record(String facilityId, String studyUid, TriageDecision d, Instant decidedAt) {
        String reasons = reasonsJson(d);
        return store.fromTransaction(s -> record(s, facilityId, studyUid, d, decidedAt, reasons));
    }

    /**
     * The same, inside the caller's transaction: the triage stage records the decision and moves the
     * study to TRIAGED in one commit, so that a study is never TRIAGED without its decision or twice
     * decided for one completion.
     *
     * @return the decision's id
     */
    public long record(Session s, String facilityId, String studyUid, TriageDecision d, Instant decidedAt) {
        return record(s, facilityId, studyUid, d, decidedAt, reasonsJson(d));
    }

    private static String reasonsJson(TriageDecision d) {
        try {
            return JSON.writeValueAsString(d.reasons());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Reasons cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static long record(Session s, String facilityId, String studyUid, TriageDecision d, Instant decidedAt,
                               String reasons) {
        TriageRecord r = new TriageRecord(facilityId, studyUid, d.urgency().name(), d.score(), d.jmsPriority(),
                d.clinicalScore(), d.findingScore(), d.ruleScore(), d.ageingScore(), d.deadline(), d.overdue(),
                reasons, decidedAt);
        s.persist(r);
        s.flush();
        for (ModelResult m : d.modelResults()) {
            if (!m.ran()) continue;
            for (String label : m.labels()) {
                Finding f = d.findings().stream()
                        .filter(x -> x.modelId().equals(m.modelId()) && x.modelVersion().equals(m.modelVersion())
                                && x.label().equals(label))
                        .findFirst().orElse(null);
                List<Integer> slices = f != null ? f.slices() : m.drivingSlices().getOrDefault(label, List.of());
                s.persist(new AiFinding(r.getId(), studyUid, m.seriesUid(), m.modelId(), m.modelVersion(), label,
                        m.studyProbability(label), m.thresholds().get(label), f != null,
                        f == null ? null : f.code(), f == null ? null : f.text(), f == null ? null : f.severity(),
                        SliceNumbers.column(slices),
                        m.timings().readMs(), m.timings().preprocessMs(), m.timings().inferenceMs(), m.timings().totalMs()));
            }
        }
        s.persist(new AuditEvent("triage", "triaged", "study", studyUid, d.urgency() + " score "
                + String.format("%.1f", d.score()) + " jms " + d.jmsPriority() + ": "
                + d.reasons().stream().map(Reason::code).collect(Collectors.joining(", "))));
        return r.getId();
    }
}
