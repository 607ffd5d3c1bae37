package org.radloop.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.radloop.model.CriticalNotification;
import org.radloop.model.CriticalResultEvent;
import org.radloop.model.CriticalResultRecord;
import org.radloop.model.Store;

/**
 * Critical results as the API shows them: state, who was notified by which channel and whether it
 * was delivered, and the timeline of every step, oldest first.
 */
public final class CriticalResultTimeline {

    private final Store store;

    public CriticalResultTimeline(Store store) {
        this.store = store;
    }

    /**
     * @param open     true: open only, false: acknowledged only, null: both
     * @param facility a facility id, or null for all
     */
    public List<Map<String, Object>> list(Boolean open, String facility, int limit) {
        return store.fromTransaction(s -> {
            StringBuilder hql = new StringBuilder("from CriticalResultRecord where 1 = 1");
            if (open != null) hql.append(" and state = :state");
            if (facility != null) hql.append(" and facilityId = :facility");
            hql.append(" order by openedAt desc, id desc");
            var q = s.createQuery(hql.toString(), CriticalResultRecord.class);
            if (open != null) q.setParameter("state", open ? CriticalResultRecord.State.OPEN : CriticalResultRecord.State.ACKNOWLEDGED);
            if (facility != null) q.setParameter("facility", facility);
            List<CriticalResultRecord> rows = q.setMaxResults(limit).list();
            if (rows.isEmpty()) return List.of();
            List<Long> ids = rows.stream().map(CriticalResultRecord::getId).toList();
            Map<Long, List<CriticalNotification>> notes = s.createQuery(
                            "from CriticalNotification where criticalResultId in (:ids) order by id", CriticalNotification.class)
                    .setParameter("ids", ids).list().stream()
                    .collect(Collectors.groupingBy(CriticalNotification::getCriticalResultId));
            Map<Long, List<CriticalResultEvent>> events = s.createQuery(
                            "from CriticalResultEvent where criticalResultId in (:ids) order by at, id", CriticalResultEvent.class)
                    .setParameter("ids", ids).list().stream()
                    .collect(Collectors.groupingBy(CriticalResultEvent::getCriticalResultId));
            List<Map<String, Object>> out = new ArrayList<>();
            for (CriticalResultRecord r : rows) {
                out.add(view(r, notes.getOrDefault(r.getId(), List.of()), events.getOrDefault(r.getId(), List.of())));
            }
            return out;
        });
    }

    /** One critical result with its notifications and timeline, or null when there is none with this id. */
    public Map<String, Object> detail(long id) {
        return store.fromTransaction(s -> {
            CriticalResultRecord r = s.find(CriticalResultRecord.class, id);
            if (r == null) return null;
            return view(r,
                    s.createQuery("from CriticalNotification where criticalResultId = :r order by id", CriticalNotification.class)
                            .setParameter("r", id).list(),
                    s.createQuery("from CriticalResultEvent where criticalResultId = :r order by at, id", CriticalResultEvent.class)
                            .setParameter("r", id).list());
        });
    }

    private static Map<String, Object> view(CriticalResultRecord r, List<CriticalNotification> notes,
                                            List<CriticalResultEvent> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("facility", r.getFacilityId());
        m.put("reportId", r.getReportId());
        m.put("accessionNumber", r.getAccessionNumber());
        m.put("studyUid", r.getStudyUid());
        m.put("category", r.getCategory());
        m.put("finding", r.getFinding());
        m.put("orderingClinician", r.getOrderingClinician());
        m.put("signingRadiologist", r.getSigningRadiologist());
        m.put("state", r.getState().name());
        m.put("openedAt", r.getOpenedAt());
        m.put("currentStep", r.getStep() < 0 ? null : r.getStep() + 1);
        m.put("currentStepRole", r.getStepRole());
        m.put("stepDeadline", r.getState() == CriticalResultRecord.State.OPEN ? r.getStepDeadline() : null);
        m.put("acknowledgedAt", r.getAcknowledgedAt());
        m.put("acknowledgedBy", r.getAcknowledgedBy());
        m.put("acknowledgedVia", r.getAcknowledgedVia());
        List<Map<String, Object>> n = new ArrayList<>();
        for (CriticalNotification x : notes) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", x.getId());
            v.put("step", x.getStep() + 1);
            v.put("role", x.getStepRole());
            v.put("recipient", x.getRecipientId());
            v.put("recipientName", x.getRecipientName());
            v.put("channel", x.getChannel());
            v.put("address", x.getAddress());
            v.put("state", x.getState().name());
            v.put("delivered", x.getState() == CriticalNotification.State.SENT);
            v.put("attempts", x.getAttempts());
            v.put("createdAt", x.getCreatedAt());
            v.put("sentAt", x.getSentAt());
            v.put("error", x.getError());
            v.put("linkExpiresAt", x.getExpiresAt());
            v.put("linkUsedAt", x.getUsedAt());
            n.add(v);
        }
        m.put("notifications", n);
        List<Map<String, Object>> t = new ArrayList<>();
        for (CriticalResultEvent e : events) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("at", e.getAt());
            v.put("event", e.getKind());
            v.put("step", e.getStep() == null ? null : e.getStep() + 1);
            v.put("actor", e.getActor());
            v.put("detail", e.getDetail());
            t.add(v);
        }
        m.put("timeline", t);
        return m;
    }
}
