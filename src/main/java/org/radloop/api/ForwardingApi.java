package org.radloop.api;

import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.model.AuditEvent;
import org.radloop.model.ForwardingTask;
import org.radloop.model.PriorSearch;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.radloop.model.StudyPrior;

/**
 * Forwarding to the facilities' PACS and the priors fetched from them, over HTTP (bearer token):
 * <ul>
 *   <li>{@code GET /api/forwarding?state=&facility=&study=&limit=}: forwarding tasks, one per instance</li>
 *   <li>{@code POST /api/forwarding/{id}/retry}: send a FAILED (or already SENT) instance again</li>
 *   <li>{@code POST /api/studies/{studyUid}/forwarding/retry}: send every FAILED instance of a study again</li>
 *   <li>{@code POST /api/studies/{studyUid}/priors/retry}: search the PACS for the study's priors again (409 while a
 *   search is pending or running)</li>
 * </ul>
 * {@link #forwardingOf} and {@link #priorsOf} add the same facts to {@code GET /api/studies/{uid}}.
 */
final class ForwardingApi {

    static final Set<String> LIST_PARAMETERS = Set.of("state", "facility", "study", "limit");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final int FAILED_SHOWN = 20;

    private final Store store;
    private final Clock clock;

    ForwardingApi(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Adds this API's endpoints to the API routes. */
    static void routes(ApiRoutes api, ForwardingApi f, ApiToken token) {
        Set<String> get = Set.of("GET");
        Set<String> post = Set.of("POST");
        api.serve("api-forwarding", "/api/forwarding", new JsonEndpoint(get, token, f::list));
        api.serve("api-forwarding-retry", "/api/forwarding/{id}/retry", new JsonEndpoint(post, token, f::retry));
        api.serve("api-study-forwarding-retry", "/api/studies/{studyUid}/forwarding/retry", new JsonEndpoint(post, token, f::retryStudy));
        api.serve("api-study-priors-retry", "/api/studies/{studyUid}/priors/retry", new JsonEndpoint(post, token, f::retryPriors));
    }

    Object list(JsonEndpoint.ApiRequest request) {
        QueryParameters q = request.query(LIST_PARAMETERS);
        StringBuilder hql = new StringBuilder("select t, s.studyInstanceUid from ForwardingTask t, Study s where s.id = t.studyId");
        Map<String, Object> params = new HashMap<>();
        ForwardingTask.State state = q.choice("state", ForwardingTask.State.class);
        if (state != null) {
            hql.append(" and t.state = :state");
            params.put("state", state);
        }
        if (q.text("facility") != null) {
            hql.append(" and t.facilityId = :facility");
            params.put("facility", q.text("facility"));
        }
        if (q.text("study") != null) {
            hql.append(" and s.studyInstanceUid = :study");
            params.put("study", q.text("study"));
        }
        hql.append(" order by t.id desc");
        int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<Map<String, Object>> tasks = store.fromTransaction(s -> {
            var query = s.createSelectionQuery(hql.toString(), Object[].class);
            params.forEach(query::setParameter);
            return query.setMaxResults(limit).getResultList().stream()
                    .map(row -> task((ForwardingTask) row[0], (String) row[1])).toList();
        });
        return Map.of("count", tasks.size(), "tasks", tasks);
    }

    Object retry(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        long id = request.idParameter("id");
        return store.fromTransaction(s -> {
            ForwardingTask t = s.find(ForwardingTask.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (t == null) throw ApiProblem.notFound("no forwarding task " + id);
            if (t.getState() == ForwardingTask.State.PENDING || t.getState() == ForwardingTask.State.SENDING) {
                throw new ApiProblem(409, "conflict", "forwarding task " + id + " is already " + t.getState()
                        + " (attempt " + t.getAttempts() + ")");
            }
            t.requeue(clock.instant());
            s.persist(new AuditEvent("api", "forwarding-retry", "study", t.getStudyId(), "task " + id + " requeued"));
            Study st = s.find(Study.class, t.getStudyId());
            return task(t, st.getStudyInstanceUid());
        });
    }

    Object retryStudy(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        String uid = request.pathParameter("studyUid");
        return store.fromTransaction(s -> {
            Study st = study(s, uid);
            List<ForwardingTask> failed = s.createSelectionQuery("from ForwardingTask t where t.studyId = :id and t.state = :st",
                            ForwardingTask.class)
                    .setParameter("id", st.getId()).setParameter("st", ForwardingTask.State.FAILED)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
            failed.forEach(t -> t.requeue(clock.instant()));
            if (!failed.isEmpty()) {
                s.persist(new AuditEvent("api", "forwarding-retry", "study", st.getId(), failed.size() + " failed task(s) requeued"));
            }
            return Map.of("studyInstanceUid", uid, "requeued", failed.size());
        });
    }

    Object retryPriors(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        String uid = request.pathParameter("studyUid");
        return store.fromTransaction(s -> {
            Study st = study(s, uid);
            PriorSearch search = s.createSelectionQuery("from PriorSearch p where p.studyId = :id", PriorSearch.class)
                    .setParameter("id", st.getId()).setLockMode(LockModeType.PESSIMISTIC_WRITE).uniqueResult();
            if (search == null) {
                throw new ApiProblem(409, "conflict", "study " + uid + " has no prior search: its facility does not fetch priors"
                        + " or the study has no patient ID");
            }
            if (search.getState() == PriorSearch.State.PENDING) {
                throw new ApiProblem(409, "conflict", "the prior search of study " + uid + " is already running or waiting to run"
                        + " (attempt " + search.getAttempts() + ", next at " + search.getNextAttemptAt() + ")");
            }
            search.requeue(clock.instant());
            s.persist(new AuditEvent("api", "prior-search-retry", "study", st.getId(), "prior search requeued"));
            return priorsOf(s, st);
        });
    }

    /** The study's forwarding: destination, counts per state, and the failing instances. */
    static Map<String, Object> forwardingOf(Session s, Study st) {
        List<Object[]> counts = s.createSelectionQuery("select t.state, count(t), max(t.destination) from ForwardingTask t"
                        + " where t.studyId = :id group by t.state", Object[].class)
                .setParameter("id", st.getId()).getResultList();
        if (counts.isEmpty()) return null;
        Map<String, Long> byState = new LinkedHashMap<>();
        String destination = null;
        for (ForwardingTask.State state : ForwardingTask.State.values()) byState.put(state.name(), 0L);
        for (Object[] row : counts) {
            byState.put(((ForwardingTask.State) row[0]).name(), (Long) row[1]);
            destination = (String) row[2];
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("state", byState.get("FAILED") > 0 ? "FAILED"
                : byState.get("PENDING") + byState.get("SENDING") > 0 ? "IN_PROGRESS" : "SENT");
        m.put("counts", byState);
        List<Map<String, Object>> failing = new ArrayList<>();
        for (ForwardingTask t : s.createSelectionQuery("from ForwardingTask t where t.studyId = :id and t.retry.lastError is not null"
                        + " and t.state <> :sent order by t.id", ForwardingTask.class)
                .setParameter("id", st.getId()).setParameter("sent", ForwardingTask.State.SENT)
                .setMaxResults(FAILED_SHOWN).getResultList()) {
            failing.add(task(t, st.getStudyInstanceUid()));
        }
        m.put("problems", failing);
        return m;
    }

    /** The study's prior search and the earlier studies it found; for a prior, the studies it serves. */
    static Map<String, Object> priorsOf(Session s, Study st) {
        Map<String, Object> m = new LinkedHashMap<>();
        PriorSearch search = s.createSelectionQuery("from PriorSearch p where p.studyId = :id", PriorSearch.class)
                .setParameter("id", st.getId()).uniqueResult();
        if (search != null) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("state", search.getState());
            sm.put("attempts", search.getAttempts());
            sm.put("nextAttemptAt", search.getState() == PriorSearch.State.PENDING ? search.getNextAttemptAt() : null);
            sm.put("lastError", search.getLastError());
            sm.put("doneAt", search.getDoneAt());
            m.put("search", sm);
        }
        List<Map<String, Object>> studies = new ArrayList<>();
        for (StudyPrior p : s.createSelectionQuery("from StudyPrior p where p.studyId = :id order by p.selected desc,"
                + " p.relevance desc, p.studyDate desc", StudyPrior.class).setParameter("id", st.getId()).getResultList()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("studyInstanceUid", p.getPriorStudyUid());
            pm.put("studyDate", p.getStudyDate());
            pm.put("description", p.getDescription());
            pm.put("modalities", p.getModalities());
            pm.put("bodyPart", p.getBodyPart());
            pm.put("instancesOnPacs", p.getRemoteInstanceCount());
            pm.put("relevance", p.getRelevance());
            pm.put("selected", p.isSelected());
            pm.put("state", p.getState());
            pm.put("retrieved", p.getState() == StudyPrior.State.RETRIEVED || p.getState() == StudyPrior.State.ALREADY_HELD);
            pm.put("retrievedAt", p.getRetrievedAt());
            pm.put("lastError", p.getLastError());
            studies.add(pm);
        }
        m.put("studies", studies);
        if (st.getState() == Study.State.PRIOR) {
            m.put("priorOf", s.createSelectionQuery("select s.studyInstanceUid from StudyPrior p, Study s where s.id = p.studyId"
                    + " and p.priorStudyUid = :u order by s.id", String.class).setParameter("u", st.getStudyInstanceUid()).getResultList());
        }
        return m;
    }

    private static Map<String, Object> task(ForwardingTask t, String studyUid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("facility", t.getFacilityId());
        m.put("studyInstanceUid", studyUid);
        m.put("sopInstanceUid", t.getSopInstanceUid());
        m.put("transferSyntaxUid", t.getTransferSyntaxUid());
        m.put("destination", t.getDestination());
        m.put("state", t.getState());
        m.put("attempts", t.getAttempts());
        m.put("nextAttemptAt", t.getState() == ForwardingTask.State.PENDING ? t.getNextAttemptAt() : null);
        m.put("lastError", t.getLastError());
        m.put("createdAt", t.getCreatedAt());
        m.put("sentAt", t.getSentAt());
        return m;
    }

    private static Study study(Session s, String uid) {
        Study st = s.createQuery("from Study where studyInstanceUid = :u", Study.class).setParameter("u", uid).uniqueResult();
        if (st == null) throw ApiProblem.notFound("no study with Study Instance UID " + uid);
        return st;
    }
}
