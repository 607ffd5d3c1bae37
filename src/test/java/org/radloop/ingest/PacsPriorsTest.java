package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.support.DcmtkTool;
import org.radloop.support.OrthancPeer;
import org.radloop.support.TestEngine;

/**
 * Priors from a real Orthanc: the patient's earlier studies are found with C-FIND, the most relevant
 * are C-MOVEd to RadLoop's own SCP, recorded on the study and held as priors (not new exams). Also,
 * sharing the engine for speed, forwarding to a PACS that never answers: the tasks end FAILED, are
 * listed, and are replayed through the API once the PACS is reachable.
 */
class PacsPriorsTest {

    @TempDir
    static Path folder;

    static Properties settings;
    static RadLoopEngine engine;
    static OrthancPeer orthanc;

    @BeforeAll
    static void start() throws Exception {
        settings = PacsPeers.settings(folder, 2);
        orthanc = OrthancPeer.start(folder.resolve("orthanc"), Map.of("radloop", List.of("RADLOOP", "127.0.0.1", PacsPeers.dicomPort(settings))));
        PacsPeers.writeFacility(settings, "prior-test", "PRI_CT", "ORTHANC", orthanc.dicomPort(), true, true, 2);
        PacsPeers.writeFacility(settings, "dead-pacs", "DEAD_CT", "DEADPACS", TestEngine.freePort(), true, false, 0);
        engine = TestEngine.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (orthanc != null) orthanc.close();
    }

    /** A study of {@code patient} already in the PACS (uploaded through Orthanc's REST API). */
    static String inPacs(String patient, String date, String modality, String bodyPart, String description, int instances)
            throws Exception {
        Path sample = "MR".equals(modality) ? DicomSamples.MR : DicomSamples.CT;
        var b = new DicomSamples.StudyBuilder(folder.resolve("pacs-" + date + modality)).patient(patient, "Prior^Pat", "F", "19600101")
                .set(TagFromName.StudyDate, date).set(TagFromName.StudyDescription, description)
                .set(TagFromName.BodyPartExamined, bodyPart).accession("OLD-" + date);
        String series = DicomSamples.uid();
        for (int i = 1; i <= instances; i++) orthanc.upload(b.instance(sample, series, i));
        return b.studyUid;
    }

    @Test
    void thePatientsMostRelevantPriorsAreRetrievedRecordedAndHeldOutOfTheLoop() throws Exception {
        String ctHead = inPacs("PRI-1", "20240301", "CT", "HEAD", "CT HEAD WITHOUT CONTRAST", 2);
        String ctChest = inPacs("PRI-1", "20210601", "CT", "CHEST", "CT CHEST", 1);
        String mrKnee = inPacs("PRI-1", "20250115", "MR", "KNEE", "MR KNEE", 1);
        String otherPatient = inPacs("OTHER-1", "20240101", "CT", "HEAD", "CT HEAD", 1);

        var current = new DicomSamples.StudyBuilder(folder.resolve("current-made")).patient("PRI-1", "Prior^Pat", "F", "19600101")
                .accession("NEW-1").set(TagFromName.StudyDate, "20260201").set(TagFromName.BodyPartExamined, "HEAD")
                .set(TagFromName.StudyDescription, "CT HEAD");
        String series = DicomSamples.uid();
        List<Path> slices = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            slices.add(PacsPeers.asSent(current.instance(DicomSamples.CT, series, i), folder.resolve("current").resolve(i + ".dcm")));
        }
        DcmtkTool.Result sent = PacsPeers.storescu(settings, "PRI_CT", "-xe", slices);
        assertThat(sent.succeeded()).as(sent.output()).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DONE".equals(PacsPeers.get(engine, "/api/studies/" + current.studyUid).path("priors").path("search").path("state").asText()));
        JsonNode study = PacsPeers.get(engine, "/api/studies/" + current.studyUid);
        JsonNode priors = study.path("priors").path("studies");
        // The current study (forwarded to the same PACS meanwhile) and the other patient's are not priors.
        assertThat(priors).hasSize(3);
        assertThat(priors.get(0).path("studyInstanceUid").asText()).as("same modality and body part first").isEqualTo(ctHead);
        assertThat(priors.get(0).path("studyDate").asText()).isEqualTo("2024-03-01");
        assertThat(priors.get(0).path("description").asText()).isEqualTo("CT HEAD WITHOUT CONTRAST");
        assertThat(priors.get(0).path("modalities").asText()).isEqualTo("CT");
        assertThat(priors.get(0).path("state").asText()).isEqualTo("RETRIEVED");
        assertThat(priors.get(0).path("retrieved").asBoolean()).isTrue();
        assertThat(priors.get(1).path("studyInstanceUid").asText()).isEqualTo(ctChest);
        assertThat(priors.get(1).path("retrieved").asBoolean()).isTrue();
        assertThat(priors.get(2).path("studyInstanceUid").asText()).as("other modality and body part").isEqualTo(mrKnee);
        assertThat(priors.get(2).path("selected").asBoolean()).isFalse();
        assertThat(priors.get(2).path("retrieved").asBoolean()).isFalse();

        // The moved priors are here, in full, as priors of the current study, not as exams.
        JsonNode head = PacsPeers.get(engine, "/api/studies/" + ctHead);
        assertThat(head.path("state").asText()).isEqualTo("PRIOR");
        assertThat(head.path("instanceCount").asInt()).isEqualTo(2);
        assertThat(head.path("loop").path("stage").asText()).isEqualTo("prior");
        assertThat(head.path("priors").path("priorOf")).extracting(JsonNode::asText).containsExactly(current.studyUid);
        assertThat(head.path("forwarding").isNull()).as("not sent back to the PACS it came from").isTrue();
        assertThat(PacsPeers.get(engine, "/api/studies/" + ctChest).path("state").asText()).isEqualTo("PRIOR");
        assertThat(PacsPeers.get(engine, "/api/forwarding?study=" + ctHead).path("count").asInt()).isZero();

        // The current study completes after its quiet period and waits for its order; the priors do neither.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "COMPLETE".equals(PacsPeers.get(engine, "/api/studies/" + current.studyUid).path("state").asText()));
        List<String> unmatched = new ArrayList<>();
        PacsPeers.get(engine, "/api/studies?unmatched=true&facility=prior-test").path("studies")
                .forEach(s -> unmatched.add(s.path("studyInstanceUid").asText()));
        assertThat(unmatched).contains(current.studyUid).doesNotContain(ctHead, ctChest);
        assertThat(PacsPeers.get(engine, "/api/studies/" + ctHead).path("state").asText()).isEqualTo("PRIOR");
        await().atMost(Duration.ofSeconds(15)).until(() -> "SENT".equals(
                PacsPeers.get(engine, "/api/studies/" + current.studyUid).path("forwarding").path("state").asText()));
        long others = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select count(s) from Study s where s.studyInstanceUid = :u", Long.class).setParameter("u", otherPatient)
                .getSingleResult());
        assertThat(others).as("another patient's study is never fetched").isZero();

        // Asking again finds the same priors already here and moves nothing.
        assertThat(PacsPeers.post(engine, "/api/studies/" + current.studyUid + "/priors/retry").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "DONE".equals(PacsPeers.get(engine, "/api/studies/" + current.studyUid).path("priors").path("search").path("state").asText()));
        assertThat(PacsPeers.get(engine, "/api/studies/" + current.studyUid).path("priors").path("studies").get(0).path("state").asText())
                .isEqualTo("RETRIEVED");
    }

    @Test
    void forwardingThatUsedUpItsAttemptsIsListedAsFailedAndReplayedThroughTheApi() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("dead-made")).accession("DEAD-1").patient("MRN-D", "Dead^Don", "M", "19500101");
        String series = DicomSamples.uid();
        List<Path> slices = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            slices.add(PacsPeers.asSent(b.instance(DicomSamples.CT, series, i), folder.resolve("dead").resolve(i + ".dcm")));
        }
        assertThat(PacsPeers.storescu(settings, "DEAD_CT", "-xe", slices).succeeded()).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                PacsPeers.get(engine, "/api/forwarding?state=FAILED&facility=dead-pacs").path("count").asInt() == 2);
        JsonNode failed = PacsPeers.get(engine, "/api/forwarding?state=FAILED&facility=dead-pacs");
        JsonNode first = failed.path("tasks").get(0);
        assertThat(first.path("attempts").asInt()).isEqualTo(2);
        assertThat(first.path("destination").asText()).isEqualTo("DEADPACS");
        assertThat(first.path("lastError").asText()).contains("C-STORE to DEADPACS failed");
        assertThat(first.path("studyInstanceUid").asText()).isEqualTo(b.studyUid);
        assertThat(PacsPeers.get(engine, "/api/studies/" + b.studyUid).path("forwarding").path("state").asText()).isEqualTo("FAILED");
        assertThat(PacsPeers.post(engine, "/api/forwarding/999999/retry").statusCode()).isEqualTo(404);

        // The analyst fixes the address (here: the PACS's port) and replays one task, then the study.
        PacsPeers.writeFacility(settings, "dead-pacs", "DEAD_CT", "DEADPACS", orthanc.dicomPort(), true, false, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.facilities().byId("dead-pacs").flatMap(f -> f.config().pacs())
                .map(p -> p.port() == orthanc.dicomPort()).orElse(false));
        long id = first.path("id").asLong();
        var replay = PacsPeers.post(engine, "/api/forwarding/" + id + "/retry");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(PacsPeers.json(replay).path("state").asText()).isEqualTo("PENDING");
        String sop = first.path("sopInstanceUid").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> orthanc.hasInstance(sop));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                PacsPeers.get(engine, "/api/forwarding?state=FAILED&facility=dead-pacs").path("count").asInt() == 1);

        var rest = PacsPeers.post(engine, "/api/studies/" + b.studyUid + "/forwarding/retry");
        assertThat(PacsPeers.json(rest).path("requeued").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> "SENT".equals(
                PacsPeers.get(engine, "/api/studies/" + b.studyUid).path("forwarding").path("state").asText()));
        for (Path f : slices) assertThat(orthanc.hasInstance(PacsPeers.sopUid(f))).isTrue();
    }
}
