package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.ForwardingTask;
import org.radloop.model.Instance;
import org.radloop.dicom.Part10;
import org.radloop.dicom.PixelmedSender;
import org.radloop.support.DcmtkTool;
import org.radloop.support.OrthancPeer;
import org.radloop.support.TestEngine;

/**
 * Forwarding every received instance to the facility's PACS, a real Orthanc: dcmtk's storescu sends
 * to RadLoop's storage SCP, RadLoop forwards in the background, and Orthanc's REST API shows the same
 * instances with the same data set bytes. Orthanc stopped and started again on the same address:
 * the forwarding retries with backoff and completes, each instance sent once.
 */
class PacsForwardingTest {

    @TempDir
    static Path folder;

    static Properties settings;
    static RadLoopEngine engine;
    static OrthancPeer orthanc;
    static int orthancDicomPort;
    static int orthancHttpPort;

    @BeforeAll
    static void start() throws Exception {
        orthancDicomPort = TestEngine.freePort();
        orthancHttpPort = TestEngine.freePort();
        settings = PacsPeers.settings(folder, 100);
        PacsPeers.writeFacility(settings, "fwd-test", "FWD_CT", "ORTHANC", orthancDicomPort, true, false, 0);
        orthanc = startOrthanc();
        engine = TestEngine.start(settings);
    }

    static OrthancPeer startOrthanc() throws Exception {
        return OrthancPeer.start(folder.resolve("orthanc"),
                Map.of("radloop", List.of("RADLOOP", "127.0.0.1", PacsPeers.dicomPort(settings))), orthancDicomPort, orthancHttpPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (orthanc != null) orthanc.close();
    }

    @Test
    void forwardsEveryInstanceWithItsBytesInEachTransferSyntax() throws Exception {
        // A multi-slice CT series over one association, as a scanner sends it.
        var ct = new DicomSamples.StudyBuilder(folder.resolve("ct-made")).accession("FWD-1")
                .patient("MRN-FWD-1", "Forward^Fay", "F", "19800101");
        String series = DicomSamples.uid();
        List<Path> slices = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            slices.add(PacsPeers.asSent(ct.instance(DicomSamples.CT, series, i), folder.resolve("ct").resolve("s" + i + ".dcm")));
        }
        DcmtkTool.Result sent = PacsPeers.storescu(settings, "FWD_CT", "-xe", slices);
        assertThat(sent.succeeded()).as(sent.output()).isTrue();

        // Real sample files in other transfer syntaxes, each sent as is (storescu proposes its own syntax).
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("rtplan.dcm", "-xi");                       // implicit VR little endian
        samples.put("SC_rgb_jpeg_dcmtk.dcm", "-xy");            // JPEG baseline
        samples.put("JPEG-lossy.dcm", "-xx");                   // JPEG extended
        samples.put("MR_small_jpeg_ls_lossless.dcm", "-xt");    // JPEG-LS lossless
        samples.put("JPEG2000.dcm", "-xw");                     // JPEG 2000
        samples.put("SC_rgb_rle.dcm", "-xr");                   // RLE lossless
        List<Path> all = new ArrayList<>(slices);
        for (Map.Entry<String, String> s : samples.entrySet()) {
            Path file = PacsPeers.asSent(DicomSamples.DIR.resolve(s.getKey()), folder.resolve("samples").resolve(s.getKey()));
            DcmtkTool.Result r = PacsPeers.storescu(settings, "FWD_CT", s.getValue(), List.of(file));
            assertThat(r.succeeded()).as(s.getKey() + ": " + r.output()).isTrue();
            all.add(file);
        }

        for (Path f : all) {
            String sop = PacsPeers.sopUid(f);
            await().atMost(Duration.ofSeconds(30)).until(() -> task(sop) != null && task(sop).getState() == ForwardingTask.State.SENT);
            Instance indexed = instance(sop);
            assertThat(indexed).as("indexed: " + f).isNotNull();
            byte[] received = PacsPeers.dataSet(Path.of(indexed.getFilePath()));
            assertThat(received).as("RadLoop stored what storescu sent: " + f.getFileName()).isEqualTo(PacsPeers.dataSet(f));
            assertThat(indexed.getSha256()).isEqualTo(Part10.sha256OfDataSet(f));
            String orthancId = orthanc.instanceId(sop);
            assertThat(orthancId).as("in Orthanc: " + f.getFileName()).isNotNull();
            byte[] inOrthanc = PacsPeers.dataSet(orthanc.instanceFile(orthancId), folder.resolve("from-orthanc.dcm"));
            assertThat(inOrthanc).as("Orthanc holds the same data set bytes: " + f.getFileName()).isEqualTo(received);
            assertThat(orthanc.text("/instances/" + orthancId + "/metadata/TransferSyntax"))
                    .isEqualTo(indexed.getTransferSyntaxUid());
        }

        // The study shows its forwarding; the listing shows one SENT task per instance.
        JsonNode study = PacsPeers.get(engine, "/api/studies/" + ct.studyUid);
        assertThat(study.path("forwarding").path("destination").asText()).isEqualTo("ORTHANC");
        assertThat(study.path("forwarding").path("state").asText()).isEqualTo("SENT");
        assertThat(study.path("forwarding").path("counts").path("SENT").asInt()).isEqualTo(12);
        JsonNode listed = PacsPeers.get(engine, "/api/forwarding?study=" + ct.studyUid + "&state=SENT");
        assertThat(listed.path("count").asInt()).isEqualTo(12);
        assertThat(listed.path("tasks").get(0).path("attempts").asInt()).isEqualTo(1);

        assertThat(PacsPeers.text(engine, "/metrics")).containsPattern(
                "radloop_messages_out_total\\{[^}]*channel=\"dicom-forward\"[^}]*facility=\"fwd-test\"[^}]*outcome=\"sent\"[^}]*\\} (1[89]|[2-9][0-9])\\.0");

        // The same slice again: stored once, not forwarded twice.
        assertThat(PacsPeers.storescu(settings, "FWD_CT", "-xe", List.of(slices.get(0))).succeeded()).isTrue();
        assertThat(PacsPeers.get(engine, "/api/forwarding?study=" + ct.studyUid).path("count").asInt()).isEqualTo(12);
    }

    @Test
    void whileThePacsIsDownForwardingRetriesWithBackoffAndCompletesOnceItIsBack() throws Exception {
        orthanc.close();
        orthanc = null;
        var b = new DicomSamples.StudyBuilder(folder.resolve("down-made")).accession("FWD-DOWN")
                .patient("MRN-FWD-2", "Down^Dan", "M", "19750505");
        String series = DicomSamples.uid();
        List<Path> slices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            slices.add(PacsPeers.asSent(b.instance(DicomSamples.CT, series, i), folder.resolve("down").resolve("s" + i + ".dcm")));
        }
        // The modality is not slowed or failed by the PACS being down.
        DcmtkTool.Result sent = PacsPeers.storescu(settings, "FWD_CT", "-xe", slices);
        assertThat(sent.succeeded()).as(sent.output()).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> tasksOf(b.studyUid).stream().allMatch(t -> t.getAttempts() >= 2));
        JsonNode study = PacsPeers.get(engine, "/api/studies/" + b.studyUid);
        assertThat(study.path("forwarding").path("state").asText()).isEqualTo("IN_PROGRESS");
        assertThat(study.path("forwarding").path("problems").size()).isEqualTo(5);
        assertThat(study.path("forwarding").path("problems").get(0).path("lastError").asText()).isNotBlank();
        List<ForwardingTask> waiting = tasksOf(b.studyUid);
        assertThat(waiting).allMatch(t -> t.getState() != ForwardingTask.State.SENT);

        orthanc = startOrthanc();
        await().atMost(Duration.ofSeconds(30)).until(() -> tasksOf(b.studyUid).stream()
                .allMatch(t -> t.getState() == ForwardingTask.State.SENT));
        List<ForwardingTask> done = tasksOf(b.studyUid);
        for (Path f : slices) assertThat(orthanc.hasInstance(PacsPeers.sopUid(f))).isTrue();

        // Exactly once: nothing is sent again after success (attempts and sentAt stay put over
        // several sweeps) and Orthanc recorded one new instance per slice.
        Thread.sleep(1500);
        List<ForwardingTask> later = tasksOf(b.studyUid);
        for (int i = 0; i < done.size(); i++) {
            assertThat(later.get(i).getAttempts()).isEqualTo(done.get(i).getAttempts());
            assertThat(later.get(i).getSentAt()).isEqualTo(done.get(i).getSentAt());
        }
        JsonNode changes = orthanc.get("/changes?limit=10000");
        long newInstances = 0;
        for (JsonNode c : changes.path("Changes")) {
            if ("NewInstance".equals(c.path("ChangeType").asText())) {
                String sop = orthanc.get("/instances/" + c.path("ID").asText()).path("MainDicomTags").path("SOPInstanceUID").asText();
                for (Path f : slices) if (PacsPeers.sopUid(f).equals(sop)) newInstances++;
            }
        }
        assertThat(newInstances).isEqualTo(5);
        assertThat(PacsPeers.get(engine, "/api/studies/" + b.studyUid).path("forwarding").path("state").asText()).isEqualTo("SENT");
    }

    @Test
    void theEngineAnswersEchoFromAFacilityModalityAndRejectsAnUnknownCallingAeTitle() throws Exception {
        String port = Integer.toString(PacsPeers.dicomPort(settings));
        DcmtkTool.Result echo = DcmtkTool.run("echoscu", "-aet", "FWD_CT", "-aec", "RADLOOP", "127.0.0.1", port);
        assertThat(echo.succeeded()).as(echo.output()).isTrue();
        DcmtkTool.Result unknown = DcmtkTool.run("echoscu", "-aet", "NOBODY_KNOWN", "-aec", "RADLOOP", "127.0.0.1", port);
        assertThat(unknown.succeeded()).isFalse();
        assertThat(unknown.output()).contains("Calling AE Title Not Recognized");
    }

    @Test
    void aTruncatedInstanceIsRefusedQuarantinedNotForwardedAndTheNextOnTheSameAssociationIsStored() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("cut-made")).accession("FWD-CUT").patient("MRN-FWD-3", "Cut^Cat", "F", "19900909");
        String series = DicomSamples.uid();
        Path first = b.instance(DicomSamples.CT, series, 1);
        Path whole = b.instance(DicomSamples.CT, series, 2);
        Path next = b.instance(DicomSamples.CT, series, 3);
        Path truncated = Files.copy(whole, folder.resolve("cut-made").resolve("truncated.dcm"));
        try (FileChannel ch = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1000);
        }

        List<String> outcomes = PixelmedSender.sendOnOneAssociation(PacsPeers.dicomPort(settings), "FWD_CT",
                List.of(first, truncated, next));

        assertThat(outcomes).containsExactly("ok", "failed", "ok");
        String cutSop = PacsPeers.sopUid(whole);
        JsonNode quarantine = PacsPeers.get(engine, "/api/quarantine");
        JsonNode item = null;
        for (JsonNode q : quarantine.path("items")) if (cutSop.equals(q.path("sopInstanceUid").asText())) item = q;
        assertThat(item).as("the truncated instance is listed in quarantine").isNotNull();
        assertThat(item.path("reason").asText()).containsIgnoringCase("truncated");
        assertThat(instance(cutSop)).isNull();
        for (Path stored : List.of(first, next)) {
            String sop = PacsPeers.sopUid(stored);
            assertThat(instance(sop)).as("indexed").isNotNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> orthanc != null && orthanc.hasInstance(sop));
        }
        assertThat(task(cutSop)).as("nothing to forward for a refused instance").isNull();
        assertThat(orthanc.hasInstance(cutSop)).isFalse();
    }

    static ForwardingTask task(String sop) {
        return engine.store().fromTransaction(s -> s.createSelectionQuery("from ForwardingTask where sopInstanceUid = :u order by id desc",
                ForwardingTask.class).setParameter("u", sop).setMaxResults(1).uniqueResult());
    }

    static List<ForwardingTask> tasksOf(String studyUid) {
        return PacsPeers.forwardingTasks(engine, studyUid);
    }

    static Instance instance(String sop) {
        return engine.store().fromTransaction(s -> s.createSelectionQuery("from Instance where sopInstanceUid = :u and currentVersion = true",
                Instance.class).setParameter("u", sop).uniqueResult());
    }
}
