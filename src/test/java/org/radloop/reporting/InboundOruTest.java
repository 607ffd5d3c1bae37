package org.radloop.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.ingest.MutableClock;
import org.radloop.model.MessageRecord;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportDiff;
import org.radloop.routing.RoutingEngines;
import org.radloop.support.StageQueueWatcher;

/**
 * A report signed in the radiologist's own reporting system, sent by a HAPI client as ORU^R01 over
 * MLLP: for a known accession it becomes the final version (OBX text, OBR-32 signer) before the ACK
 * AA, with its diff against the AI draft and a report/signed message for QC; an unknown accession
 * gets AE with an ERR segment, is kept, and is accepted when replayed once the case exists.
 */
class InboundOruTest {

    @TempDir
    static Path folder;
    static RadLoopEngine engine;
    static StageQueueWatcher qc;
    static HapiContext hapi;
    static final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        engine = RoutingEngines.start(RoutingEngines.settings(folder, RoutingEngines.ROSTER), clock);
        qc = new StageQueueWatcher(engine, Stage.QC);
        hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
    }

    @AfterAll
    static void stop() throws Exception {
        if (hapi != null) hapi.close();
        if (qc != null) qc.close();
        if (engine != null) engine.close();
    }

    /** ORU^R01 from St Mary's (EPICRIS/STMARYS, 2.5.1) for one accession, signed by OBR-32. */
    static String oru(String controlId, String accession, String signer) {
        String[] obr = new String[33];
        Arrays.fill(obr, "");
        obr[0] = "OBR";
        obr[1] = "1";
        obr[2] = "P-" + accession + "^EPICRIS";
        obr[3] = "F" + accession + "^RADLOOP";
        obr[4] = "CTHEADWO^CT head without contrast^L";
        obr[7] = "20260302095500";
        obr[18] = accession;
        obr[22] = "20260302103000";
        obr[25] = "F";
        obr[32] = signer;
        return "MSH|^~\\&|EPICRIS|STMARYS|RADLOOP|RADLOOP|20260302103000||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1\r"
                + "PID|1||MRN-ORU^^^STMARYS^MR||TEST^PAT||19800101|F\r"
                + String.join("|", obr) + "\r"
                + "OBX|1|TX|55752-0^Clinical information^LN||Sudden severe headache.||||||F\r"
                + "OBX|2|TX|18782-3^Radiology study observation^LN||Acute haematoma in the left frontal lobe, 25 mm.\\.br\\No midline shift.||||||F\r"
                + "OBX|3|TX|19005-8^Impression^LN||Acute left frontal intraparenchymal haemorrhage.||||||F\r";
    }

    static String send(Connection connection, String text) throws Exception {
        Message request = hapi.getPipeParser().parse(text);
        return connection.getInitiator().sendAndReceive(request).encode();
    }

    static String field(String message, String segment, int n) {
        for (String seg : message.split("\r")) {
            if (seg.startsWith(segment + "|")) {
                String[] f = seg.split("\\|", -1);
                return n < f.length ? f[n] : "";
            }
        }
        return null;
    }

    static Report reportOf(String studyUid) {
        return engine.store().fromTransaction(s -> s.createQuery("from Report where studyUid = :u", Report.class)
                .setParameter("u", studyUid).uniqueResult());
    }

    @Test
    void aSignedReportFromTheRadiologistsOwnSystemBecomesTheFinalVersionBeforeItsAckAndGoesToQc() throws Exception {
        String uid = RoutingEngines.triaged(engine, clock, "MRN-ORU", "ACC-ORU-1", "ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9,
                List.of(ReportingTest.BLEED));
        await().atMost(Duration.ofSeconds(15)).until(() -> reportOf(uid) != null);
        Connection connection = hapi.newClient("127.0.0.1", Integer.parseInt(engine.settings().get("radloop.hl7.port", null)), false);
        String ack;
        try {
            ack = send(connection, oru("ORU-1", "ACC-ORU-1", "neuro-b&Neuro&B"));
        } finally {
            connection.close();
        }
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(field(ack, "MSA", 2)).isEqualTo("ORU-1");

        // Read at once, without waiting: the ACK came after the commit.
        Report report = reportOf(uid);
        assertThat(report.getState()).isEqualTo(Report.State.SIGNED);
        assertThat(report.getSignedVia()).isEqualTo("hl7");
        assertThat(report.getSignedBy()).isEqualTo("Neuro, B [neuro-b]");
        assertThat(report.getSignedVersion()).isEqualTo(1);
        List<Section> finalVersion = ReportingTest.sections(engine, report.getId(), 1);
        assertThat(finalVersion).extracting(Section::id).containsExactly("history", "findings", "impression");
        assertThat(ReportingTest.section(finalVersion, "findings").text())
                .isEqualTo("Acute haematoma in the left frontal lobe, 25 mm.\nNo midline shift.");
        assertThat(ReportingTest.section(finalVersion, "findings").origin()).isEqualTo("hl7");

        ReportDiff diff = engine.store().fromTransaction(s -> s.createQuery("from ReportDiff where reportId = :r", ReportDiff.class)
                .setParameter("r", report.getId()).uniqueResult());
        assertThat(diff.getFromVersion()).isZero();
        assertThat(diff.getToVersion()).isEqualTo(1);
        JsonNode entries = JSON.readTree(diff.getDiff());
        JsonNode findings = null;
        for (JsonNode e : entries) if (e.path("section").asText().equals("findings")) findings = e;
        assertThat(findings).as("the AI draft's organ sections compared as one findings section").isNotNull();
        assertThat(findings.path("status").asText()).isEqualTo("changed");
        assertThat(findings.path("before").asText()).contains("Brain parenchyma: Suspected intracranial haemorrhage");
        assertThat(entries.findValuesAsText("section")).contains("technique", "comparison", "impression");
        assertThat(engine.store().fromTransaction(s -> s.find(ReadingCase.class, report.getCaseId())).getState())
                .isEqualTo(ReadingCase.State.REPORTED);

        await().atMost(Duration.ofSeconds(10)).until(() -> !qc.about("report", String.valueOf(report.getId())).isEmpty());
        StageQueueWatcher.Received toQc = qc.about("report", String.valueOf(report.getId())).get(0);
        assertThat(toQc.message().event()).isEqualTo("signed");
        assertThat(toQc.priority()).isEqualTo(9);
    }

    @Test
    void anUnknownAccessionGetsAeWithErrIsKeptAndIsAcceptedOnReplayOnceTheCaseExists() throws Exception {
        Connection connection = hapi.newClient("127.0.0.1", Integer.parseInt(engine.settings().get("radloop.hl7.port", null)), false);
        String refused, missingSigner;
        try {
            refused = send(connection, oru("ORU-2", "ACC-LATE-1", "neuro-a&Neuro&A"));
            missingSigner = send(connection, oru("ORU-3", "ACC-LATE-1", ""));
        } finally {
            connection.close();
        }
        assertThat(field(refused, "MSA", 1)).isEqualTo("AE");
        assertThat(field(refused, "ERR", 2)).isEqualTo("OBR^1^18");
        assertThat(field(refused, "ERR", 3)).startsWith("204^");
        assertThat(field(refused, "ERR", 8)).contains("no case in RadLoop has accession ACC-LATE-1");
        assertThat(field(missingSigner, "MSA", 1)).as("the same connection still answers").isEqualTo("AE");
        assertThat(field(missingSigner, "ERR", 2)).isEqualTo("OBR^1^32");

        MessageRecord kept = engine.store().fromTransaction(s -> s.createQuery(
                "from MessageRecord where controlId = 'ORU-2'", MessageRecord.class).uniqueResult());
        assertThat(kept.getState()).isEqualTo(MessageRecord.State.REJECTED);
        assertThat(kept.getRawPayload()).contains("ACC-LATE-1");

        String uid = RoutingEngines.triaged(engine, clock, "MRN-LATE", "ACC-LATE-1", "ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4, List.of());
        await().atMost(Duration.ofSeconds(15)).until(() -> RoutingEngines.caseOf(engine, uid) != null);
        HttpResponse<String> replay = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + engine.settings().get("radloop.http.port", null) + "/api/messages/" + kept.getId() + "/replay"))
                .header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("ackCode").asText()).isEqualTo("AA");
        Report report = reportOf(uid);
        assertThat(report.getState()).isEqualTo(Report.State.SIGNED);
        assertThat(report.getSignedBy()).isEqualTo("Neuro, A [neuro-a]");
        assertThat(engine.store().fromTransaction(s -> s.find(MessageRecord.class, kept.getId())).getState())
                .isEqualTo(MessageRecord.State.REPLAYED);
    }
}
