package org.radloop.api;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.radloop.ingest.DicomInstanceIndexer;
import org.radloop.ingest.DicomQuarantine;
import org.radloop.model.ImagingOrder;
import org.radloop.model.QuarantinedInstance;
import org.radloop.model.Series;
import org.radloop.model.Store;
import org.radloop.model.Study;

/**
 * Studies and DICOM quarantine over HTTP, for the console and for analysts' scripts, served by
 * {@link ApiRoutes} behind the API's bearer token:
 * <ul>
 *   <li>{@code GET /api/studies?facility=&state=&date=YYYY-MM-DD&unmatched=true&limit=}</li>
 *   <li>{@code GET /api/studies/{studyUid}}: series, counts, order, flags, where it is in the loop, its
 *   forwarding to the PACS and its priors ({@link ForwardingApi})</li>
 *   <li>{@code GET /api/quarantine?state=&limit=}</li>
 *   <li>{@code POST /api/quarantine/{id}/retry}: index the kept file again</li>
 * </ul>
 */
final class StudyApi {

    static final Set<String> LIST_PARAMETERS = Set.of("facility", "state", "date", "unmatched", "limit");
    static final Set<String> QUARANTINE_PARAMETERS = Set.of("state", "limit");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Store store;
    private final DicomQuarantine quarantine;
    private final DicomInstanceIndexer indexer;

    StudyApi(Store store, DicomQuarantine quarantine, DicomInstanceIndexer indexer) {
        this.store = store;
        this.quarantine = quarantine;
        this.indexer = indexer;
    }

    Object list(JsonEndpoint.ApiRequest request) {
        QueryParameters q = request.query(LIST_PARAMETERS);
        StringBuilder hql = new StringBuilder("from Study where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (q.text("facility") != null) {
            hql.append(" and facilityId = :facility");
            params.put("facility", q.text("facility"));
        }
        Study.State state = q.choice("state", Study.State.class);
        if (state != null) {
            hql.append(" and state = :state");
            params.put("state", state);
        }
        if (q.text("date") != null) {
            hql.append(" and studyDate = :date");
            params.put("date", date(q.text("date")));
        }
        String unmatched = q.text("unmatched");
        if (unmatched != null && !unmatched.equals("true") && !unmatched.equals("false")) {
            throw ApiProblem.badRequest("parameter 'unmatched' must be true or false, not '" + unmatched + "'");
        }
        // Priors fetched for comparison have no order of their own to wait for.
        if ("true".equals(unmatched)) hql.append(" and orderId is null and state <> :prior");
        if ("true".equals(unmatched)) params.put("prior", Study.State.PRIOR);
        hql.append(" order by lastInstanceAt desc, id desc");
        int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<Map<String, Object>> studies = store.fromTransaction(s -> {
            var query = s.createQuery(hql.toString(), Study.class);
            params.forEach(query::setParameter);
            return query.setMaxResults(limit).list().stream().map(StudyApi::summary).toList();
        });
        return Map.of("count", studies.size(), "studies", studies);
    }

    Object study(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        String uid = request.pathParameter("studyUid");
        return store.fromTransaction(s -> {
            Study st = s.createQuery("from Study where studyInstanceUid = :u", Study.class)
                    .setParameter("u", uid).uniqueResult();
            if (st == null) throw ApiProblem.notFound("no study with Study Instance UID " + uid);
            Map<String, Object> body = summary(st);
            Map<String, Object> patient = new LinkedHashMap<>();
            patient.put("patientId", st.getPatientId());
            patient.put("dicomPatientId", st.getDicomPatientId());
            patient.put("dicomPatientName", st.getDicomPatientName());
            patient.put("dicomPatientSex", st.getDicomPatientSex());
            patient.put("dicomBirthDate", st.getDicomBirthDate());
            body.put("patient", patient);
            body.put("studyTime", st.getStudyTime());
            body.put("flagDetails", st.getFlagDetails());
            body.put("firstInstanceAt", st.getFirstInstanceAt());
            List<Map<String, Object>> series = new ArrayList<>();
            for (Series se : s.createQuery("from Series where studyId = :id order by seriesNumber, id", Series.class)
                    .setParameter("id", st.getId()).list()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("seriesInstanceUid", se.getSeriesInstanceUid());
                m.put("seriesNumber", se.getSeriesNumber());
                m.put("modality", se.getModality());
                m.put("bodyPart", se.getBodyPart());
                m.put("laterality", se.getLaterality());
                m.put("description", se.getDescription());
                m.put("instanceCount", se.getInstanceCount());
                m.put("totalBytes", se.getTotalBytes());
                series.add(m);
            }
            body.put("series", series);
            ImagingOrder order = st.getOrderId() == null ? null : s.find(ImagingOrder.class, st.getOrderId());
            if (order != null) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", order.getId());
                o.put("accessionNumber", order.getAccessionNumber());
                o.put("placerOrderNumber", order.getPlacerOrderNumber());
                o.put("procedureCode", order.getProcedureCode());
                o.put("procedureText", order.getProcedureText());
                o.put("modality", order.getModality());
                o.put("priority", order.getPriority());
                o.put("status", order.getStatus());
                o.put("loopState", order.getLoopState());
                body.put("order", o);
            }
            body.put("loop", loop(st, order));
            body.put("forwarding", ForwardingApi.forwardingOf(s, st));
            body.put("priors", ForwardingApi.priorsOf(s, st));
            return body;
        });
    }

    /** Where the study is in the loop, in words an analyst would use. */
    private static Map<String, Object> loop(Study st, ImagingOrder order) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (st.getState()) {
            case RECEIVING -> {
                m.put("stage", "ingest");
                m.put("status", st.getReopenCount() > 0 ? "receiving late instances after completion" : "receiving instances");
            }
            case COMPLETE -> {
                m.put("stage", "ingest");
                m.put("status", order == null ? "complete, waiting for its order" : "complete, hand-off to triage pending");
            }
            case TRIAGE_QUEUED -> {
                m.put("stage", "triage");
                m.put("status", "handed to triage");
            }
            case PRIOR -> {
                m.put("stage", "prior");
                m.put("status", "retrieved from the PACS as a prior for comparison; not an exam of its own");
            }
            case TRIAGED -> {
                m.put("stage", "route");
                m.put("status", "triaged, handed to routing");
            }
        }
        if (order != null) m.put("orderLoopState", order.getLoopState());
        return m;
    }

    private static Map<String, Object> summary(Study st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("studyInstanceUid", st.getStudyInstanceUid());
        m.put("facility", st.getFacilityId());
        m.put("state", st.getState());
        m.put("accessionNumber", st.getAccessionNumber());
        m.put("dicomPatientId", st.getDicomPatientId());
        m.put("studyDate", st.getStudyDate());
        m.put("description", st.getDescription());
        m.put("modalities", st.getModalities());
        m.put("bodyPart", st.getBodyPart());
        m.put("seriesCount", st.getSeriesCount());
        m.put("instanceCount", st.getInstanceCount());
        m.put("totalBytes", st.getTotalBytes());
        m.put("orderId", st.getOrderId());
        m.put("flags", st.getFlags());
        m.put("lastInstanceAt", st.getLastInstanceAt());
        m.put("completedAt", st.getCompletedAt());
        m.put("triageQueuedAt", st.getTriageQueuedAt());
        m.put("reopenCount", st.getReopenCount());
        return m;
    }

    Object quarantine(JsonEndpoint.ApiRequest request) {
        QueryParameters q = request.query(QUARANTINE_PARAMETERS);
        QuarantinedInstance.State state = q.choice("state", QuarantinedInstance.State.class);
        List<Map<String, Object>> items = quarantine.list(state, q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)).stream().map(x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", x.getId());
            m.put("state", x.getState());
            m.put("reason", x.getReason());
            m.put("callingAeTitle", x.getCallingAeTitle());
            m.put("remoteAddress", x.getRemoteAddress());
            m.put("sopInstanceUid", x.getSopInstanceUid());
            m.put("filePath", x.getFilePath());
            m.put("receivedAt", x.getReceivedAt());
            m.put("retryCount", x.getRetryCount());
            m.put("lastError", x.getLastError());
            m.put("lastRetryAt", x.getLastRetryAt());
            m.put("facility", x.getFacilityId());
            m.put("studyInstanceUid", x.getStudyInstanceUid());
            return m;
        }).toList();
        return Map.of("count", items.size(), "items", items);
    }

    Object retry(JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        long id = request.idParameter("id");
        try {
            return quarantine.retry(id, indexer, "api");
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiProblem(409, "conflict", e.getMessage());
        }
    }

    private static LocalDate date(String v) {
        try {
            return v.length() == 8 ? LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE) : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("parameter 'date' must be a date, YYYY-MM-DD, not '" + v + "'");
        }
    }
}
