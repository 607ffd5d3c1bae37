package org.radloop.api;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.radloop.model.TriageRecord;
import org.radloop.triage.PriorityPolicy;
import org.radloop.triage.Urgency;

/**
 * {@code GET /api/worklist?facility=&subspecialty=&urgency=&state=&limit=&offset=}: triaged studies
 * in priority order, highest first, each with its urgency, score, deadline and every reason.
 *
 * <p>The order is computed at the moment of the request with the engine's clock: the clinical part
 * of each study's latest triage decision (urgency class and clinical score C) is kept, and the
 * time-dependent part (ageing A, overdue, JMS priority) is worked out again by
 * {@link PriorityPolicy#standing}, with the facility's turnaround agreement as it is configured now.
 * A stored score would go stale: a routine study that has waited past its deadline must overtake
 * newer urgent ones without being triaged again (docs/triage-priority.md, guarantee 2).
 *
 * <p>Without {@code state}, every study whose latest completion has been triaged is listed (states
 * before triage are left out: a study that received a late instance waits for its new decision).
 */
final class Worklist {

    static final Set<String> PARAMETERS = Set.of("facility", "subspecialty", "urgency", "state", "limit", "offset");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    /** States in which the latest decision does not (yet) describe the study's current completion. */
    private static final Set<Study.State> BEFORE_TRIAGE = EnumSet.of(Study.State.RECEIVING, Study.State.COMPLETE,
            Study.State.TRIAGE_QUEUED, Study.State.PRIOR);
    private static final TypeReference<List<Map<String, Object>>> REASONS = new TypeReference<>() {
    };

    private final Store store;
    private final FacilityRegistry facilities;
    private final Clock clock;
    private final PriorityPolicy policy = new PriorityPolicy();

    Worklist(Store store, FacilityRegistry facilities, Clock clock) {
        this.store = store;
        this.facilities = facilities;
        this.clock = clock;
    }

    /** One study with its latest decision and where it stands now. */
    private record Entry(Study study, TriageRecord decision, ImagingOrder order, PriorityPolicy.Standing now) {
    }

    Object list(JsonEndpoint.ApiRequest request) {
        QueryParameters q = request.query(PARAMETERS);
        Urgency urgency = q.choice("urgency", Urgency.class);
        Study.State state = q.choice("state", Study.State.class);
        int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);

        StringBuilder hql = new StringBuilder("select s, d, o from Study s"
                + " join TriageRecord d on d.facilityId = s.facilityId and d.studyUid = s.studyInstanceUid"
                + " left join ImagingOrder o on o.id = s.orderId"
                + " where d.id = (select max(d2.id) from TriageRecord d2"
                + " where d2.facilityId = s.facilityId and d2.studyUid = s.studyInstanceUid)");
        Map<String, Object> params = new HashMap<>();
        if (state != null) {
            hql.append(" and s.state = :state");
            params.put("state", state);
        } else {
            hql.append(" and s.state not in (:before)");
            params.put("before", BEFORE_TRIAGE);
        }
        if (q.text("facility") != null) {
            hql.append(" and s.facilityId = :facility");
            params.put("facility", q.text("facility"));
        }
        if (q.text("subspecialty") != null) {
            hql.append(" and lower(o.subspecialty) = :subspecialty");
            params.put("subspecialty", q.text("subspecialty").toLowerCase(java.util.Locale.ROOT));
        }
        if (urgency != null) {
            hql.append(" and d.urgency = :urgency");
            params.put("urgency", urgency.name());
        }

        Instant now = clock.instant();
        List<Entry> entries = store.fromTransaction(s -> {
            var query = s.createQuery(hql.toString(), Object[].class);
            params.forEach(query::setParameter);
            List<Entry> out = new ArrayList<>();
            for (Object[] row : query.list()) {
                Study st = (Study) row[0];
                TriageRecord d = (TriageRecord) row[1];
                out.add(new Entry(st, d, (ImagingOrder) row[2], policy.standing(Urgency.valueOf(d.getUrgency()),
                        d.getClinicalScore(), st.getCompletedAt(), now, turnaround(st.getFacilityId()))));
            }
            return out;
        });
        // Highest score first; on a tie the study that has waited longer, then the one that arrived first.
        entries.sort(Comparator.comparingDouble((Entry e) -> -e.now().score())
                .thenComparing(e -> e.study().getCompletedAt(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(e -> e.study().getId()));

        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = offset; i < entries.size() && items.size() < limit; i++) items.add(item(i + 1, entries.get(i)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", now);
        body.put("total", entries.size());
        body.put("offset", offset);
        body.put("limit", limit);
        body.put("count", items.size());
        body.put("items", items);
        return body;
    }

    private FacilityConfig.Turnaround turnaround(String facilityId) {
        return facilities.byId(facilityId).map(f -> f.config().turnaround()).orElse(null);
    }

    private static Map<String, Object> item(int rank, Entry e) {
        Study st = e.study();
        TriageRecord d = e.decision();
        ImagingOrder o = e.order();
        PriorityPolicy.Standing now = e.now();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("studyInstanceUid", st.getStudyInstanceUid());
        m.put("facility", st.getFacilityId());
        m.put("accessionNumber", st.getAccessionNumber());
        m.put("state", st.getState());
        m.put("urgency", d.getUrgency());
        m.put("score", round(now.score()));
        m.put("jmsPriority", now.jmsPriority());
        m.put("overdue", now.overdue());
        m.put("deadline", now.deadline());
        m.put("waitedMinutes", Math.round(now.waitedMinutes()));
        m.put("completedAt", st.getCompletedAt());
        m.put("modalities", st.getModalities());
        m.put("bodyPart", st.getBodyPart());
        m.put("description", st.getDescription());
        m.put("subspecialty", o == null ? null : o.getSubspecialty());
        m.put("procedure", o == null ? null : o.getProcedureText());
        m.put("orderPriority", o == null ? null : o.getPriority());
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("id", d.getId());
        decision.put("decidedAt", d.getDecidedAt());
        decision.put("score", round(d.getScore()));
        decision.put("clinicalScore", round(d.getClinicalScore()));
        decision.put("findingScore", round(d.getFindingScore()));
        decision.put("ruleScore", d.getRuleScore());
        m.put("decision", decision);
        m.put("reasons", reasons(d, now));
        return m;
    }

    /** The decision's reasons, with its ageing reason (true when it was decided) replaced by today's. */
    private static List<Map<String, Object>> reasons(TriageRecord d, PriorityPolicy.Standing now) {
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (Map<String, Object> r : ApiJson.MAPPER.readValue(d.getReasons(), REASONS)) {
                if (!"AGEING".equals(r.get("kind"))) out.add(r);
            }
        } catch (Exception e) {
            // A row written by hand or by an older version: show it as it is rather than fail the list.
            out.add(Map.of("kind", "RULE", "code", "unreadable-reasons", "text", String.valueOf(d.getReasons()), "points", 0));
        }
        now.ageingReason().ifPresent(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", r.kind().name());
            m.put("code", r.code());
            m.put("text", r.text());
            m.put("points", round(r.points()));
            out.add(m);
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
