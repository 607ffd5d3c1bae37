package org.radloop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.AuditEvent;
import org.radloop.model.ReadingCase;

/**
 * The route stage in a real engine: triaged studies arrive on radloop.route and are assigned under
 * the hard constraints, critical work comes first and is reassigned when not opened in time, a
 * reader leaving shift hands back unread cases, nobody qualifying alerts the on-call chain, and
 * people claim, release and reassign through the API. The test moves the engine's clock.
 */
class RoutingTest {

    @TempDir
    static Path folder;
    static RadLoopEngine engine;
    static final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);
    static CaseRouter router;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static int mrn;

    @BeforeAll
    static void start() throws Exception {
        engine = RoutingEngines.start(RoutingEngines.settings(folder, RoutingEngines.ROSTER), clock);
        router = engine.camel().getRegistry().lookupByNameAndType("caseRouter", CaseRouter.class);
    }

    @AfterAll
    static void stop() {
        if (engine != null) engine.close();
    }

    static ReadingCase arrive(String procedure, String modality, String bodyPart, String urgency, int priority) {
        String accession = "ACC-R-" + (++mrn);
        String uid = RoutingEngines.triaged(engine, clock, "MRN-R-" + mrn, accession, procedure, modality, bodyPart, urgency, priority, List.of());
        await().atMost(Duration.ofSeconds(15)).until(() -> RoutingEngines.caseOf(engine, uid) != null);
        return RoutingEngines.caseOf(engine, uid);
    }

    static ReadingCase reload(ReadingCase c) {
        return engine.store().fromTransaction(s -> s.find(ReadingCase.class, c.getId()));
    }

    static List<AssignmentRecord> decisions(ReadingCase c) {
        return engine.store().fromTransaction(s -> s.createQuery("from AssignmentRecord where caseId = :c order by id", AssignmentRecord.class)
                .setParameter("c", c.getId()).list());
    }

    /** Frees every reader: the test cases do not depend on each other's leftovers. */
    static void clearWorklists() {
        engine.store().inTransaction(s -> {
            for (ReadingCase c : s.createQuery("from ReadingCase where state <> :r", ReadingCase.class)
                    .setParameter("r", ReadingCase.State.REPORTED).list()) {
                org.radloop.model.ReaderLoads.follow(s, c, clock.instant(), () -> c.reported(clock.instant()));
            }
            s.createMutationQuery("delete from ReaderAvailability").executeUpdate();
        });
    }

    @Test
    void theHeadCtGoesToAnOnShiftLicensedNeuroradiologistAndTheDecisionSaysWhyTheOthersWereNot() {
        clearWorklists();
        ReadingCase c = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        assertThat(c.getState()).isEqualTo(ReadingCase.State.ASSIGNED);
        assertThat(c.getRadiologistId()).isIn("neuro-a", "neuro-b");
        assertThat(c.getSubspecialty()).isEqualTo("neuro");
        assertThat(c.getRvu()).as("from mappings/procedures.yaml").isEqualTo(0.85);
        AssignmentRecord d = decisions(c).get(0);
        assertThat(d.getAction()).isEqualTo(AssignmentRecord.ASSIGNED);
        assertThat(d.getReasons()).contains("\"us-only\":\"not licensed in GB-ENG\"")
                .contains("\"weekend\":\"off shift: no scheduled shift now")
                .contains("\"gen-c\":\"general cover for neuro only after 120 min")
                .contains("\"subspecialty\":40.0");
    }

    @Test
    void aFullReaderIsNeverChosenAndTheCaseWaitsUntilTheGeneralCoverWaitHasPassed() {
        clearWorklists();
        // Six routine head CTs fill neuro-a and neuro-b (three each); the seventh has nobody.
        for (int i = 0; i < 6; i++) assertThat(arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4).getState()).isEqualTo(ReadingCase.State.ASSIGNED);
        ReadingCase seventh = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        assertThat(seventh.getState()).isEqualTo(ReadingCase.State.WAITING);
        AssignmentRecord queued = decisions(seventh).get(0);
        assertThat(queued.getAction()).isEqualTo(AssignmentRecord.QUEUED);
        assertThat(queued.getReasons()).contains("\"neuro-a\":\"full: 3 open cases of 3\"").contains("\"neuro-b\":\"full: 3 open cases of 3\"");

        clock.advance(Duration.ofMinutes(121));
        router.sweep();
        ReadingCase covered = reload(seventh);
        assertThat(covered.getRadiologistId()).as("general cover after 120 minutes").isEqualTo("gen-c");
    }

    @Test
    void aCriticalStudyIsAssignedAtOnceAndGoesToTheTopOfTheWorklist() throws Exception {
        clearWorklists();
        ReadingCase routine = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        String reader = routine.getRadiologistId();
        // The other neuroradiologist steps away, so the critical case has one neuroradiologist to go to.
        String other = reader.equals("neuro-a") ? "neuro-b" : "neuro-a";
        assertThat(post("/api/radiologists/" + other + "/availability", "{\"action\":\"away\"}").statusCode()).isEqualTo(200);
        ReadingCase critical = arrive("ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9);
        assertThat(critical.getState()).isEqualTo(ReadingCase.State.ASSIGNED);
        assertThat(critical.getRadiologistId()).isEqualTo(reader);
        JsonNode worklist = JSON.readTree(get("/api/radiologists/" + reader + "/worklist").body());
        assertThat(worklist.path("cases").get(0).path("id").asLong()).as("critical first").isEqualTo(critical.getId());
        assertThat(worklist.path("cases").get(1).path("id").asLong()).isEqualTo(routine.getId());
        JsonNode listed = null;
        for (JsonNode r : JSON.readTree(get("/api/radiologists").body()).path("radiologists")) {
            if (r.path("id").asText().equals(reader)) listed = r;
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("openCases").asInt()).as("the listing counts the worklist's cases").isEqualTo(2);
        assertThat(listed.path("availability").asText()).isEqualTo("SCHEDULED");
    }

    @Test
    void anUnopenedCriticalCaseIsReassignedWhenTheClockPassesItsLimit() {
        clearWorklists();
        ReadingCase critical = arrive("ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9);
        String first = critical.getRadiologistId();
        assertThat(first).isIn("neuro-a", "neuro-b");

        clock.advance(Duration.ofMinutes(4));
        router.sweep();
        assertThat(reload(critical).getRadiologistId()).as("4 of 5 minutes").isEqualTo(first);

        clock.advance(Duration.ofMinutes(2));
        router.sweep();
        ReadingCase moved = reload(critical);
        assertThat(moved.getState()).isEqualTo(ReadingCase.State.ASSIGNED);
        assertThat(moved.getRadiologistId()).isNotEqualTo(first).isEqualTo(first.equals("neuro-a") ? "neuro-b" : "neuro-a");
        List<AssignmentRecord> trail = decisions(critical);
        assertThat(trail).extracting(AssignmentRecord::getAction)
                .containsExactly(AssignmentRecord.ASSIGNED, AssignmentRecord.TIMED_OUT, AssignmentRecord.ASSIGNED);
        assertThat(trail.get(1).getReasons()).contains("not opened within 5 min");
        assertThat(trail.get(2).getReasons()).contains("did not open it in time before");
    }

    @Test
    void anOpenedCaseIsNotReassignedButAReaderLeavingShiftHandsBackUnreadCases() throws Exception {
        clearWorklists();
        ReadingCase opened = arrive("ct-head-noncontrast", "CT", "HEAD", "URGENT", 7);
        String reader = opened.getRadiologistId();
        assertThat(post("/api/cases/" + opened.getId() + "/claim", "{\"radiologist\":\"" + reader + "\"}").statusCode()).isEqualTo(200);
        ReadingCase unread = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        if (!reader.equals(unread.getRadiologistId())) {
            assertThat(post("/api/cases/" + unread.getId() + "/reassign", "{\"to\":\"" + reader + "\",\"by\":\"test-admin\"}").statusCode()).isEqualTo(200);
        }
        clock.advance(Duration.ofMinutes(40));
        router.sweep();
        assertThat(reload(opened).getRadiologistId()).as("opened: no timeout").isEqualTo(reader);

        HttpResponse<String> stop = post("/api/radiologists/" + reader + "/availability", "{\"action\":\"stop-shift\",\"note\":\"end of day\"}");
        assertThat(stop.statusCode()).isEqualTo(200);
        assertThat(reload(unread).getRadiologistId()).as("unread: handed back and given to the next reader").isNotEqualTo(reader).isNotNull();
        assertThat(decisions(unread)).extracting(AssignmentRecord::getAction).contains(AssignmentRecord.SHIFT_ENDED);
        assertThat(reload(opened).getRadiologistId()).as("a case being read stays with its reader").isEqualTo(reader);
    }

    @Test
    void whenNobodyQualifiesForACriticalCaseTheOnCallChainIsAlertedAndTheCaseTopsTheSharedQueue() throws Exception {
        clearWorklists();
        for (String r : List.of("neuro-a", "neuro-b", "gen-c")) {
            assertThat(post("/api/radiologists/" + r + "/availability", "{\"action\":\"away\"}").statusCode()).isEqualTo(200);
        }
        ReadingCase routine = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        ReadingCase critical = arrive("ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9);
        assertThat(critical.getState()).isEqualTo(ReadingCase.State.WAITING);
        assertThat(critical.getAlertedAt()).isNotNull();
        assertThat(decisions(critical)).extracting(AssignmentRecord::getAction)
                .startsWith(AssignmentRecord.QUEUED, AssignmentRecord.ON_CALL_ALERT);
        assertThat(decisions(critical).get(1).getReasons()).contains("paging on-call 1 of 2: Neuro A");
        long alerts = engine.store().fromTransaction(s -> s.createQuery(
                "select count(a) from AuditEvent a where a.action = 'routing.on-call-alert' and a.entityId = :c", Long.class)
                .setParameter("c", String.valueOf(critical.getId())).uniqueResult());
        assertThat(alerts).isEqualTo(1);
        JsonNode queue = JSON.readTree(get("/api/cases?state=WAITING").body());
        assertThat(queue.path("cases").get(0).path("id").asLong()).isEqualTo(critical.getId());
        assertThat(queue.path("cases").findValuesAsText("id")).contains(String.valueOf(routine.getId()));

        // A second sweep does not alert again; a reader coming back takes the critical case first.
        router.sweep();
        assertThat(decisions(critical)).extracting(AssignmentRecord::getAction).containsOnlyOnce(AssignmentRecord.ON_CALL_ALERT);
        assertThat(post("/api/radiologists/neuro-a/availability", "{\"action\":\"back\"}").statusCode()).isEqualTo(200);
        assertThat(reload(critical).getRadiologistId()).isEqualTo("neuro-a");
    }

    @Test
    void claimReleaseAndAdministratorReassignThroughTheApiEachRecordWhy() throws Exception {
        clearWorklists();
        ReadingCase c = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        String first = c.getRadiologistId();
        String other = first.equals("neuro-a") ? "neuro-b" : "neuro-a";

        HttpResponse<String> refused = post("/api/cases/" + c.getId() + "/reassign", "{\"to\":\"us-only\",\"by\":\"admin\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("not licensed in GB-ENG");
        assertThat(post("/api/cases/" + c.getId() + "/reassign", "{\"to\":\"" + other + "\"}").statusCode()).as("'by' required").isEqualTo(400);

        HttpResponse<String> moved = post("/api/cases/" + c.getId() + "/reassign", "{\"to\":\"" + other + "\",\"by\":\"Dr Admin\",\"reason\":\"continuity\"}");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(moved.body()).path("radiologist").asText()).isEqualTo(other);

        HttpResponse<String> claim = post("/api/cases/" + c.getId() + "/claim", "{\"radiologist\":\"" + first + "\"}");
        assertThat(claim.statusCode()).as("unopened: may be claimed back").isEqualTo(200);
        assertThat(JSON.readTree(claim.body()).path("state").asText()).isEqualTo("OPENED");
        assertThat(post("/api/cases/" + c.getId() + "/claim", "{\"radiologist\":\"" + other + "\"}").statusCode())
                .as("opened by someone else").isEqualTo(409);

        HttpResponse<String> release = post("/api/cases/" + c.getId() + "/release", "{\"radiologist\":\"" + first + "\",\"reason\":\"conflict of interest\"}");
        assertThat(release.statusCode()).isEqualTo(200);
        assertThat(reload(c).getRadiologistId()).isEqualTo(other);

        JsonNode detail = JSON.readTree(get("/api/cases/" + c.getId()).body());
        assertThat(detail.path("decisions").findValuesAsText("action"))
                .containsExactly("ASSIGNED", "ADMIN_REASSIGNED", "CLAIMED", "RELEASED", "ASSIGNED");
        assertThat(detail.path("decisions").get(1).path("reasons").path("note").asText()).isEqualTo("continuity");
        assertThat(detail.path("decisions").get(1).path("actor").asText()).isEqualTo("admin:Dr Admin");
        assertThat(post("/api/cases/999999/claim", "{\"radiologist\":\"neuro-a\"}").statusCode()).isEqualTo(404);
        assertThat(post("/api/radiologists/nobody/availability", "{\"action\":\"away\"}").statusCode()).isEqualTo(404);
        assertThat(post("/api/radiologists/neuro-a/availability", "{\"action\":\"nap\"}").statusCode()).isEqualTo(400);
        JsonNode roster = JSON.readTree(get("/api/radiologists").body());
        assertThat(roster.path("count").asInt()).isEqualTo(5);
    }

    @Test
    void aTriageMessageDeliveredTwiceOpensOneCase() {
        clearWorklists();
        ReadingCase c = arrive("xr-chest", "CR", "CHEST", "ROUTINE", 4);
        router.route(c.getStudyUid());
        long cases = engine.store().fromTransaction(s -> s.createQuery("select count(c) from ReadingCase c where c.studyUid = :u", Long.class)
                .setParameter("u", c.getStudyUid()).uniqueResult());
        assertThat(cases).isEqualTo(1);
        assertThat(decisions(c)).hasSize(1);
        assertThat(c.getRadiologistId()).as("chest work: the chest reader").isEqualTo("gen-c");
    }

    @Test
    void badMessagesOnTheRouteAndReportQueuesAreParkedOnTheirDeadLetterQueuesAndTheNextCaseIsStillRouted() {
        clearWorklists();
        var jms = engine.camel().createProducerTemplate();
        long routeDlq = engine.broker().depth(org.radloop.engine.Stage.ROUTE.deadLetterQueue());
        long reportDlq = engine.broker().depth(org.radloop.engine.Stage.REPORT.deadLetterQueue());
        jms.sendBody(org.radloop.engine.Stage.ROUTE.endpoint(), "{not a stage message");
        jms.sendBody(org.radloop.engine.Stage.ROUTE.endpoint(),
                new org.radloop.engine.StageMessage("study", "1.2.3.no.such.study", "st-marys", "triaged").toJson());
        jms.sendBody(org.radloop.engine.Stage.REPORT.endpoint(),
                new org.radloop.engine.StageMessage("case", "987654", "st-marys", "routed").toJson());
        ReadingCase next = arrive("ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4);
        assertThat(next.getState()).isEqualTo(ReadingCase.State.ASSIGNED);
        // Test settings: 100 ms first redelivery delay, doubling, 6 attempts.
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.broker().depth(org.radloop.engine.Stage.ROUTE.deadLetterQueue()) == routeDlq + 2
                && engine.broker().depth(org.radloop.engine.Stage.REPORT.deadLetterQueue()) == reportDlq + 1);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.settings().get("radloop.http.port", null) + path))
                .header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null)).timeout(Duration.ofSeconds(20));
    }
}
