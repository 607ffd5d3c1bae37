package org.radloop.api;

import static org.radloop.api.ApiJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RadiologistRoster;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.ReaderAvailability;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.radloop.model.Store;
import org.radloop.reporting.ReportDesk;
import org.radloop.routing.CaseDesk;

/**
 * Radiologists, their worklists, cases and reports over HTTP (bearer token), served by {@link ApiRoutes}:
 * <ul>
 *   <li>{@code GET /api/radiologists}: the roster, who is on shift, open work</li>
 *   <li>{@code GET /api/radiologists/{id}/worklist}: assigned cases, most urgent and earliest deadline first</li>
 *   <li>{@code POST /api/radiologists/{id}/availability} {@code {"action": "start-shift|stop-shift|away|back", "note"}}</li>
 *   <li>{@code GET /api/cases?state=WAITING}: the shared queue (or cases in another state)</li>
 *   <li>{@code GET /api/cases/{id}}: a case and every assignment decision with why</li>
 *   <li>{@code POST /api/cases/{id}/claim|release} {@code {"radiologist", "reason"}};
 *       {@code POST /api/cases/{id}/reassign} {@code {"to" (optional), "by", "reason"}}</li>
 *   <li>{@code GET /api/cases/{id}/report?radiologist=}: the current draft (opens the case for its reader);
 *       {@code PUT} it with {@code {"author", "sections": {id: text}}} to save a new version</li>
 *   <li>{@code POST /api/cases/{id}/report/sign} {@code {"radiologist", "sections", "findings": [{"id", "verdict": "confirm|reject", "reason"}],
 *       "added": [{"label", "seriesUid", "slices"}]}} (added: findings the AI missed)</li>
 *   <li>{@code GET /api/reports/{id}}: versions, diff against the AI draft, finding reviews;
 *       {@code POST /api/reports/{id}/addendum} {@code {"radiologist", "text"}}</li>
 * </ul>
 */
final class RoutingApi {

    record Endpoint(String routeId, String path, JsonEndpoint endpoint) {
    }

    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");

    private final Store store;
    private final Clock clock;
    private final RadiologistRoster roster;
    private final CaseDesk cases;
    private final ReportDesk reports;

    RoutingApi(Store store, Clock clock, CamelContext camel) {
        this.store = store;
        this.clock = clock;
        this.roster = camel.getRegistry().lookupByNameAndType("radiologistRoster", RadiologistRoster.class);
        this.cases = camel.getRegistry().lookupByNameAndType("caseDesk", CaseDesk.class);
        this.reports = camel.getRegistry().lookupByNameAndType("reportDesk", ReportDesk.class);
    }

    List<Endpoint> endpoints(ApiToken token) {
        List<Endpoint> list = new ArrayList<>();
        list.add(new Endpoint("api-radiologists", "/api/radiologists", new JsonEndpoint(GET, token, r -> radiologists())));
        list.add(new Endpoint("api-radiologist-worklist", "/api/radiologists/{id}/worklist", new JsonEndpoint(GET, token,
                r -> worklist(r.pathParameter("id")))));
        list.add(new Endpoint("api-availability", "/api/radiologists/{id}/availability", new JsonEndpoint(POST, token, r -> {
            JsonNode b = r.jsonBody();
            ReaderAvailability a = cases.availability(r.pathParameter("id"), text(b, "action"), text(b, "by"), text(b, "note"));
            return Map.of("radiologist", a.getRadiologistId(), "status", a.getStatus().name(), "since", a.getSince().toString());
        })));
        list.add(new Endpoint("api-cases", "/api/cases", new JsonEndpoint(GET, token, r -> {
            ReadingCase.State state = r.query(Set.of("state")).choice("state", ReadingCase.State.class);
            return caseList(state == null ? ReadingCase.State.WAITING : state);
        })));
        list.add(new Endpoint("api-case", "/api/cases/{id}", new JsonEndpoint(GET, token, r -> caseDetail(r.idParameter("id")))));
        list.add(new Endpoint("api-case-claim", "/api/cases/{id}/claim", new JsonEndpoint(POST, token, r ->
                summary(cases.claim(r.idParameter("id"), text(r.jsonBody(), "radiologist"))))));
        list.add(new Endpoint("api-case-release", "/api/cases/{id}/release", new JsonEndpoint(POST, token, r -> {
            JsonNode b = r.jsonBody();
            return summary(cases.release(r.idParameter("id"), text(b, "radiologist"), text(b, "reason")));
        })));
        list.add(new Endpoint("api-case-reassign", "/api/cases/{id}/reassign", new JsonEndpoint(POST, token, r -> {
            JsonNode b = r.jsonBody();
            return summary(cases.reassign(r.idParameter("id"), text(b, "to"), text(b, "by"), text(b, "reason")));
        })));
        list.add(new Endpoint("api-case-report", "/api/cases/{id}/report", new JsonEndpoint(Set.of("GET", "PUT"), token, r -> {
            long id = r.idParameter("id");
            if (r.method().equals("GET")) {
                String reader = r.query(Set.of("radiologist")).text("radiologist");
                Map<String, Object> view = reports.current(id);
                if (reader != null) cases.opened(id, reader);
                return view;
            }
            JsonNode b = r.jsonBody();
            return reports.save(id, text(b, "author"), sections(b));
        })));
        list.add(new Endpoint("api-case-report-sign", "/api/cases/{id}/report/sign", new JsonEndpoint(POST, token, r -> {
            JsonNode b = r.jsonBody();
            List<ReportDesk.Verdict> verdicts = new ArrayList<>();
            JsonNode findings = b.path("findings");
            if (!findings.isMissingNode() && !findings.isArray()) throw ApiProblem.badRequest("'findings' must be a list");
            for (JsonNode f : findings) {
                if (!f.path("id").canConvertToLong()) throw ApiProblem.badRequest("each finding needs its numeric 'id'");
                verdicts.add(new ReportDesk.Verdict(f.path("id").asLong(), text(f, "verdict"), text(f, "reason")));
            }
            List<ReportDesk.Added> added = new ArrayList<>();
            JsonNode missed = b.path("added");
            if (!missed.isMissingNode() && !missed.isArray()) throw ApiProblem.badRequest("'added' must be a list");
            for (JsonNode a : missed) {
                List<Integer> slices = new ArrayList<>();
                for (JsonNode n : a.path("slices")) {
                    if (!n.canConvertToInt()) throw ApiProblem.badRequest("'slices' of an added finding are instance numbers");
                    slices.add(n.asInt());
                }
                added.add(new ReportDesk.Added(text(a, "label"), text(a, "seriesUid"), slices));
            }
            return reports.sign(r.idParameter("id"), text(b, "radiologist"), sections(b), verdicts, added);
        })));
        list.add(new Endpoint("api-report", "/api/reports/{id}", new JsonEndpoint(GET, token, r -> reports.byId(r.idParameter("id")))));
        list.add(new Endpoint("api-report-addendum", "/api/reports/{id}/addendum", new JsonEndpoint(POST, token, r -> {
            JsonNode b = r.jsonBody();
            return reports.addendum(r.idParameter("id"), text(b, "radiologist"), text(b, "text"));
        })));
        return list;
    }

    private Object radiologists() {
        Instant now = clock.instant();
        Map<String, ReaderAvailability> availability = new HashMap<>();
        Map<String, ReaderLoads.Load> loads = new HashMap<>();
        store.inTransaction(s -> {
            for (ReaderAvailability a : s.createSelectionQuery("from ReaderAvailability", ReaderAvailability.class).list()) {
                availability.put(a.getRadiologistId(), a);
            }
            // The open work routing decides on: one reader_load row each, not a count over every open case.
            loads.putAll(ReaderLoads.all(s));
        });
        List<Map<String, Object>> list = new ArrayList<>();
        for (RadiologistConfig r : roster.current().all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("subspecialties", r.subspecialties());
            m.put("privileges", r.privileges());
            m.put("licences", r.licences());
            ReaderAvailability a = availability.get(r.id());
            m.put("availability", a == null ? ReaderAvailability.Status.SCHEDULED.name() : a.getStatus().name());
            m.put("onScheduledShift", r.scheduledShiftStart(now) != null);
            ReaderLoads.Load load = loads.get(r.id());
            m.put("openCases", load == null ? 0 : load.openCases());
            m.put("maxOpenCases", r.maxOpenCases());
            m.put("rvuPerHour", r.rvuPerHour());
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", list.size());
        body.put("radiologists", list);
        if (!roster.refused().isEmpty()) body.put("refusedChange", roster.refused().stream().map(Object::toString).toList());
        return body;
    }

    private Object worklist(String id) {
        if (roster.byId(id).isEmpty()) throw ApiProblem.notFound("no radiologist '" + id + "' in the roster");
        List<Map<String, Object>> items = store.fromTransaction(s -> s.createSelectionQuery("from ReadingCase where radiologistId = :r"
                        + " and state in (:open) order by jmsPriority desc, deadline, id", ReadingCase.class)
                .setParameter("r", id).setParameter("open", List.of(ReadingCase.State.ASSIGNED, ReadingCase.State.OPENED))
                .list().stream().map(RoutingApi::summary).toList());
        return Map.of("radiologist", id, "count", items.size(), "cases", items);
    }

    private Object caseList(ReadingCase.State state) {
        List<Map<String, Object>> items = store.fromTransaction(s -> s.createSelectionQuery("from ReadingCase where state = :st"
                        + " order by jmsPriority desc, deadline, id", ReadingCase.class).setParameter("st", state)
                .setMaxResults(500).list().stream().map(RoutingApi::summary).toList());
        return Map.of("state", state.name(), "count", items.size(), "cases", items);
    }

    private Object caseDetail(long id) {
        return store.fromTransaction(s -> {
            ReadingCase c = s.find(ReadingCase.class, id);
            if (c == null) throw ApiProblem.notFound("no case " + id);
            Map<String, Object> m = summary(c);
            m.put("decisions", s.createSelectionQuery("from AssignmentRecord where caseId = :c order by id", AssignmentRecord.class)
                    .setParameter("c", id).list().stream().map(a -> {
                        Map<String, Object> d = new LinkedHashMap<>();
                        d.put("action", a.getAction());
                        d.put("radiologist", a.getRadiologistId());
                        d.put("from", a.getFromRadiologist());
                        d.put("actor", a.getActor());
                        d.put("score", a.getScore());
                        d.put("reasons", ApiJson.readStored(a.getReasons()));
                        d.put("at", a.getDecidedAt());
                        return d;
                    }).toList());
            return m;
        });
    }

    static Map<String, Object> summary(ReadingCase c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.getId());
        m.put("facility", c.getFacilityId());
        m.put("studyUid", c.getStudyUid());
        m.put("accession", c.getAccessionNumber());
        m.put("procedure", c.getProcedureId());
        m.put("subspecialty", c.getSubspecialty());
        m.put("rvu", c.getRvu());
        m.put("urgency", c.getUrgency());
        m.put("priority", c.getJmsPriority());
        m.put("deadline", c.getDeadline());
        m.put("state", c.getState().name());
        m.put("radiologist", c.getRadiologistId());
        m.put("assignedAt", c.getAssignedAt());
        m.put("openedAt", c.getOpenedAt());
        m.put("alertedAt", c.getAlertedAt());
        return m;
    }

    private static Map<String, String> sections(JsonNode body) {
        Map<String, String> edits = new LinkedHashMap<>();
        JsonNode sections = body.path("sections");
        if (sections.isMissingNode() || sections.isNull()) return edits;
        if (!sections.isObject()) throw ApiProblem.badRequest("'sections' must be an object of section id to text");
        sections.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw ApiProblem.badRequest("section '" + e.getKey() + "' must be text");
            edits.put(e.getKey(), e.getValue().asText());
        });
        return edits;
    }
}
