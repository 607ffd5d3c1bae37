package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AuditEvent;
import org.radloop.model.Delivery;
import org.radloop.model.QcResultRecord;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.routing.RoutingEngines;
import org.radloop.support.Hl7ResultsPeer;
import org.radloop.support.TestEngine;

/**
 * The loop from signature to the RIS in a real engine: routing, reporting, the QC stage and the
 * deliver stage on their queues, St Mary's delivering ORU^R01 to a HAPI MLLP peer that answers AA.
 * A clean report reaches the RIS exactly once; a blocked one does not, comes back to its reader with
 * the issue, and goes out once overridden with a reason (recorded); a category-1 finding opens a
 * critical result.
 */
class QcStageTest {

    @TempDir
    static Path folder;
    static RadLoopEngine engine;
    static Hl7ResultsPeer ris;
    static final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static int n;

    @BeforeAll
    static void start() throws Exception {
        startLoop(folder, null);
    }

    /** The engine and the RIS peer, on H2 or (dbUrl) another database. */
    static void startLoop(Path folder, String dbUrl) throws Exception {
        ris = Hl7ResultsPeer.start(TestEngine.freePort(), Hl7ResultsPeer.Answer.AA);
        Properties p = RoutingEngines.settings(folder, RoutingEngines.ROSTER);
        if (dbUrl != null) p.setProperty("radloop.db.url", dbUrl);
        Path routes = Path.of(p.getProperty("radloop.routes.dir"));
        for (String r : List.of("qc.yaml", "deliver.yaml")) {
            Files.copy(TestEngine.projectHome().resolve("routes").resolve(r), routes.resolve(r), StandardCopyOption.REPLACE_EXISTING);
        }
        // St Mary's own RIS channel, switched on and pointed at the test's HAPI peer.
        Path facility = Path.of(p.getProperty("radloop.conf.dir")).resolve("facilities/st-marys.yaml");
        String yaml = Files.readString(facility);
        Files.writeString(facility, yaml.substring(0, yaml.indexOf("\ndelivery:")) + """

                delivery:
                  - channel: hl7-oru
                    host: 127.0.0.1
                    port: %d
                    ackTimeoutSeconds: 10
                    retry: {maxAttempts: 3, initialDelaySeconds: 1, multiplier: 2, maxDelaySeconds: 5}
                """.formatted(ris.port()));
        p.setProperty("radloop.delivery.sweep.ms", "200");
        engine = RoutingEngines.start(p, clock);
    }

    @AfterAll
    static void stop() throws Exception {
        stopLoop();
    }

    static void stopLoop() throws Exception {
        if (engine != null) engine.close();
        if (ris != null) ris.close();
        engine = null;
        ris = null;
    }

    /** A CT head without AI findings, routed, drafted and opened by its reader. */
    record Opened(String accession, long caseId, long reportId, String reader) {
    }

    static Opened opened(String mrn) throws Exception {
        String accession = "ACC-QC-" + (++n);
        String uid = RoutingEngines.triaged(engine, clock, mrn, accession, "ct-head-noncontrast", "CT", "HEAD", "URGENT", 7, List.of());
        await().atMost(Duration.ofSeconds(15)).until(() -> report(uid) != null);
        ReadingCase c = RoutingEngines.caseOf(engine, uid);
        assertThat(get("/api/cases/" + c.getId() + "/report?radiologist=" + c.getRadiologistId()).statusCode()).isEqualTo(200);
        return new Opened(accession, c.getId(), report(uid).getId(), c.getRadiologistId());
    }

    static Report report(String studyUid) {
        return engine.store().fromTransaction(s -> s.createQuery("from Report where studyUid = :u", Report.class)
                .setParameter("u", studyUid).uniqueResult());
    }

    static HttpResponse<String> sign(Opened o, Map<String, String> sections) throws Exception {
        HttpResponse<String> r = post("/api/cases/" + o.caseId() + "/report/sign",
                JSON.writeValueAsString(Map.of("radiologist", o.reader(), "sections", sections, "findings", List.of())));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    static QcResultRecord awaitQc(long reportId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> qcResult(reportId) != null);
        return qcResult(reportId);
    }

    static QcResultRecord qcResult(long reportId) {
        return engine.store().fromTransaction(s -> s.createQuery("from QcResultRecord where reportId = :r order by reportVersion desc",
                QcResultRecord.class).setParameter("r", reportId).setMaxResults(1).uniqueResult());
    }

    static List<Delivery> deliveries(long reportId) {
        return engine.store().fromTransaction(s -> s.createQuery("from Delivery where reportId = :r", Delivery.class)
                .setParameter("r", String.valueOf(reportId)).list());
    }

    static void awaitDelivered(long reportId) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                deliveries(reportId).stream().anyMatch(d -> d.getState() == Delivery.State.DELIVERED));
    }

    /** ORU^R01 messages the RIS received for an accession (OBR-18). */
    static List<String> oruFor(String accession) {
        return ris.received().stream().filter(m -> m.contains("|" + accession + "|")).toList();
    }

    @Test
    void aCleanSignedReportPassesQcAndReachesTheRisExactlyOnceAsOruR01() throws Exception {
        Opened o = opened("MRN-QC-CLEAN");
        sign(o, Map.of("impression", "No acute intracranial abnormality."));

        QcResultRecord qc = awaitQc(o.reportId());
        assertThat(qc.getVerdict()).as(qc.getIssues()).isIn("PASS", "WARN");
        assertThat(qc.getState()).isEqualTo(QcResultRecord.State.APPROVED);
        awaitDelivered(o.reportId());
        Thread.sleep(1000); // a second send (a redelivery, a sweep) would arrive within this
        List<String> oru = oruFor(o.accession());
        assertThat(oru).hasSize(1);
        assertThat(oru.get(0)).contains("ORU^R01").contains("No acute intracranial abnormality.").contains("MRN-QC-CLEAN")
                .containsPattern("OBR\\|[^\\r]*\\|F\\|");
        assertThat(deliveries(o.reportId())).hasSize(1);
        assertThat(RoutingEngines.caseOf(engine, report(o)).getState()).isEqualTo(ReadingCase.State.REPORTED);

        // An addendum is checked again and goes out as a corrected result (OBR-25 C), once.
        assertThat(post("/api/reports/" + o.reportId() + "/addendum",
                "{\"radiologist\":\"" + o.reader() + "\",\"text\":\"Clinical follow-up advised; MRI of the brain if the headache persists.\"}")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> qcResult(o.reportId()).getReportVersion() == 2);
        assertThat(qcResult(o.reportId()).getState()).as(qcResult(o.reportId()).getIssues()).isEqualTo(QcResultRecord.State.APPROVED);
        await().atMost(Duration.ofSeconds(30)).until(() -> oruFor(o.accession()).size() == 2);
        String corrected = oruFor(o.accession()).get(1);
        assertThat(corrected).contains("MRI of the brain if the headache persists").containsPattern("OBR\\|[^\\r]*\\|C\\|");
        Thread.sleep(1000);
        assertThat(oruFor(o.accession())).hasSize(2);
    }

    @Test
    void aBlockedReportCorrectedAndSignedAgainIsCheckedAgainAndDelivered() throws Exception {
        Opened o = opened("MRN-QC-FIX");
        sign(o, Map.of("impression", "No acute intracranial abnormality. [insert comparison]"));
        QcResultRecord blocked = awaitQc(o.reportId());
        assertThat(blocked.getVerdict()).isEqualTo("BLOCK");
        assertThat(blocked.getIssues()).contains("placeholder").contains("[insert comparison]");
        assertThat(RoutingEngines.caseOf(engine, report(o)).getState()).isEqualTo(ReadingCase.State.OPENED);

        sign(o, Map.of("impression", "No acute intracranial abnormality."));
        await().atMost(Duration.ofSeconds(20)).until(() -> qcResult(o.reportId()).getReportVersion() > blocked.getReportVersion());
        assertThat(qcResult(o.reportId()).getState()).isEqualTo(QcResultRecord.State.APPROVED);
        awaitDelivered(o.reportId());
        assertThat(oruFor(o.accession())).hasSize(1);
        assertThat(oruFor(o.accession()).get(0)).doesNotContain("[insert comparison]");
        assertThat(post("/api/reports/" + o.reportId() + "/qc-override", "{\"by\":\"Dr Lead\",\"reason\":\"late\"}").statusCode())
                .as("nothing blocked any more").isEqualTo(409);
    }

    @Test
    void aMessageQcCannotReadIsParkedWithItsReasonAndTheStageGoesOn() throws Exception {
        var camel = engine.camel();
        camel.createProducerTemplate().sendBody(org.radloop.engine.Stage.QC.endpoint(), "not a stage message");
        camel.createProducerTemplate().sendBody(org.radloop.engine.Stage.QC.endpoint(),
                new org.radloop.engine.StageMessage("report", "999999", "st-marys", "signed").toJson());
        var consumer = camel.createConsumerTemplate();
        org.apache.camel.Exchange first = consumer.receive("jms:queue:radloop.qc.dlq", 20000);
        org.apache.camel.Exchange second = consumer.receive("jms:queue:radloop.qc.dlq", 20000);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(List.of(first.getMessage().getHeader("RadLoopRefusedReason", String.class),
                second.getMessage().getHeader("RadLoopRefusedReason", String.class)))
                .anyMatch(r -> r.contains("Not a stage message")).anyMatch(r -> r.contains("no report 999999"));
        assertThat(List.of(first.getMessage().getBody(String.class), second.getMessage().getBody(String.class)))
                .contains("not a stage message");

        Opened o = opened("MRN-QC-AFTER");
        sign(o, Map.of("impression", "No acute intracranial abnormality."));
        assertThat(awaitQc(o.reportId()).getState()).isEqualTo(QcResultRecord.State.APPROVED);
    }

    @Test
    void aBlockedReportIsNotDeliveredReturnsToItsReaderAndAnOverrideWithAReasonDeliversIt() throws Exception {
        Opened o = opened("MRN-QC-BLOCK");
        sign(o, Map.of("impression", ""));

        QcResultRecord qc = awaitQc(o.reportId());
        assertThat(qc.getVerdict()).isEqualTo("BLOCK");
        assertThat(qc.getState()).isEqualTo(QcResultRecord.State.BLOCKED);
        JsonNode view = JSON.readTree(get("/api/reports/" + o.reportId()).body());
        assertThat(view.path("state").asText()).as("a draft again, to correct and sign").isEqualTo("DRAFT");
        JsonNode issue = view.path("qc").get(0).path("issues").get(0);
        assertThat(issue.path("rule").asText()).isEqualTo("required-sections");
        assertThat(issue.path("severity").asText()).isEqualTo("block");
        assertThat(issue.path("explanation").asText()).containsIgnoringCase("impression");
        JsonNode worklist = JSON.readTree(get("/api/radiologists/" + o.reader() + "/worklist").body());
        assertThat(worklist.findValuesAsText("accession")).as(worklist.toString()).contains(o.accession());

        Thread.sleep(1500);
        assertThat(deliveries(o.reportId())).as("blocked: nothing delivered").isEmpty();
        assertThat(oruFor(o.accession())).isEmpty();

        HttpResponse<String> noReason = post("/api/reports/" + o.reportId() + "/qc-override", "{\"by\":\"Dr Lead\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason");
        assertThat(post("/api/reports/" + o.reportId() + "/qc-override", "{\"by\":\"Dr Lead\",\"reason\":\"   \"}").statusCode())
                .isEqualTo(400);
        assertThat(qcResult(o.reportId()).getState()).isEqualTo(QcResultRecord.State.BLOCKED);

        HttpResponse<String> overridden = post("/api/reports/" + o.reportId() + "/qc-override",
                "{\"by\":\"Dr Lead\",\"reason\":\"Impression dictated by phone to the ED; addendum to follow\"}");
        assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(200);
        assertThat(JSON.readTree(overridden.body()).path("override").path("reason").asText()).startsWith("Impression dictated by phone");
        awaitDelivered(o.reportId());
        Thread.sleep(1000);
        assertThat(oruFor(o.accession())).hasSize(1);

        QcResultRecord after = qcResult(o.reportId());
        assertThat(after.getState()).isEqualTo(QcResultRecord.State.OVERRIDDEN);
        assertThat(after.getOverrideBy()).isEqualTo("Dr Lead");
        List<AuditEvent> audit = engine.store().fromTransaction(s -> s.createQuery(
                "from AuditEvent where action = 'report.qc-override' and entityId = :r", AuditEvent.class)
                .setParameter("r", String.valueOf(o.reportId())).list());
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).getDetail()).contains("Impression dictated by phone");
        // The learning loop takes the overridden block from qc_result (radloop.improve) and exports it with
        // what the radiologist changed in the draft: names and counts, no report text and no reason.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> engine.store().fromTransaction(s ->
                s.createQuery("select count(*) from AuditEvent where action = 'labels-captured' and entityId = :r and detail like :d",
                        Long.class).setParameter("r", String.valueOf(o.reportId())).setParameter("d", "%and 1 QC override(s)").uniqueResult()) > 0);
        HttpResponse<String> exported = post("/api/learning/export?name=qc-override-" + o.reportId(), "");
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
        JsonNode export = JSON.readTree(exported.body());
        java.nio.file.Path dataset = java.nio.file.Path.of(export.path("directory").asText());
        String studyUid = report(o);
        List<String> overrides = java.nio.file.Files.readAllLines(dataset.resolve("qc-overrides.csv"));
        assertThat(overrides.get(0)).isEqualTo("study_uid,rule");
        List<String> mine = overrides.stream().filter(l -> l.endsWith(",required-sections")).toList();
        assertThat(mine).isNotEmpty().noneMatch(l -> l.contains(studyUid));
        String pseudonym = mine.get(0).split(",")[0];
        List<String> edits = java.nio.file.Files.readAllLines(dataset.resolve("report-edits.csv"));
        assertThat(edits.get(0)).isEqualTo("study_uid,from_version,to_version,section,status,draft_words,signed_words,draft_words_kept");
        assertThat(edits).filteredOn(l -> l.startsWith(pseudonym + ",")).as("every section of the signed report's diff")
                .isNotEmpty().anyMatch(l -> l.contains(",impression,"));
        assertThat(String.join("\n", overrides) + String.join("\n", edits)).doesNotContain("Impression dictated by phone")
                .doesNotContain(studyUid);
        assertThat(export.path("qcOverrides").asInt()).isEqualTo(overrides.size() - 1);
        assertThat(post("/api/reports/" + o.reportId() + "/qc-override", "{\"by\":\"Dr Lead\",\"reason\":\"again\"}").statusCode())
                .as("repeating it changes nothing").isEqualTo(200);
        Thread.sleep(1000);
        assertThat(oruFor(o.accession())).hasSize(1);
        assertThat(JSON.readTree(get("/api/reports/" + o.reportId()).body()).path("state").asText()).isEqualTo("SIGNED");
    }

    @Test
    void aCategoryOneFindingOpensACriticalResultWhenTheReportIsApproved() throws Exception {
        Opened o = opened("MRN-QC-CRIT");
        sign(o, Map.of("findings.brain", "Acute left subdural haematoma measuring 12 mm in thickness.",
                "findings.ventricles", "Mild effacement of the left lateral ventricle.",
                "impression", "Acute left subdural haematoma."));

        QcResultRecord qc = awaitQc(o.reportId());
        assertThat(qc.getState()).as(qc.getIssues()).isEqualTo(QcResultRecord.State.APPROVED);
        assertThat(qc.getIssues()).as("flagged, not blocked: the stage opens the notification").contains("critical-not-notified");
        await().atMost(Duration.ofSeconds(20)).until(() -> criticalResultsOf(o.reportId()).size() == 1);
        JsonNode result = criticalResultsOf(o.reportId()).get(0);
        assertThat(result.path("category").asInt()).isEqualTo(1);
        assertThat(result.path("accessionNumber").asText()).isEqualTo(o.accession());
        assertThat(result.path("finding").asText()).containsIgnoringCase("subdural");
        awaitDelivered(o.reportId());
    }

    static List<JsonNode> criticalResultsOf(long reportId) throws Exception {
        JsonNode list = JSON.readTree(get("/api/critical-results").body());
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode r : list.path("results")) if (r.path("reportId").asText().equals(String.valueOf(reportId))) out.add(r);
        return out;
    }

    static String report(Opened o) {
        return engine.store().fromTransaction(s -> s.find(Report.class, o.reportId()).getStudyUid());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.settings().get("radloop.http.port", null) + path))
                .header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20));
    }
}
