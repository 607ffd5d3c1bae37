package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.radloop.model.ForwardingTask;
import org.radloop.support.DcmtkTool;
import org.radloop.support.OrthancPeer;
import org.radloop.support.SilentPeer;
import org.radloop.support.TestEngine;

/**
 * The facility's PACS accepts connections and never answers (a hung PACS). Forwarding must not hang
 * with it until the claim runs out (5 minutes by default): each attempt fails after the SCU timeout
 * (radloop.dicom.scu.timeout.ms, 300 ms here), is recorded on every task with the reason, and is
 * retried with backoff; once a working PACS (a real Orthanc) answers on that address, every instance
 * goes out.
 */
class HungPacsForwardingTest {

    @TempDir
    static Path folder;

    static Properties settings;
    static RadLoopEngine engine;
    static SilentPeer hung;
    static OrthancPeer orthanc;
    static int pacsPort;

    @BeforeAll
    static void start() throws Exception {
        pacsPort = TestEngine.freePort();
        settings = PacsPeers.settings(folder, 100);
        settings.setProperty("radloop.dicom.scu.timeout.ms", "300");
        PacsPeers.writeFacility(settings, "hung-test", "HUNG_CT", "ORTHANC", pacsPort, true, false, 0);
        hung = SilentPeer.listen(pacsPort);
        engine = TestEngine.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (hung != null) hung.close();
        if (orthanc != null) orthanc.close();
    }

    @Test
    void aPacsThatNeverAnswersFailsEachAttemptWithinTheTimeoutAndForwardingRetriesUntilAPacsAnswers() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("made")).accession("HUNG-1")
                .patient("MRN-HUNG-1", "Hung^Harry", "M", "19700101");
        String series = DicomSamples.uid();
        List<Path> slices = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            slices.add(PacsPeers.asSent(b.instance(DicomSamples.CT, series, i), folder.resolve("sent").resolve("s" + i + ".dcm")));
        }
        // The modality is answered at once: forwarding runs apart from its C-STORE.
        DcmtkTool.Result sent = PacsPeers.storescu(settings, "HUNG_CT", "-xe", slices);
        assertThat(sent.succeeded()).as(sent.output()).isTrue();

        // Several attempts, each ended by the timeout (not by the 300 s claim) and recorded for retry.
        await().atMost(Duration.ofSeconds(60)).until(() -> PacsPeers.forwardingTasks(engine, b.studyUid).size() == 3
                && PacsPeers.forwardingTasks(engine, b.studyUid).stream().allMatch(t -> t.getAttempts() >= 2));
        for (ForwardingTask t : PacsPeers.forwardingTasks(engine, b.studyUid)) {
            assertThat(t.getState()).isNotEqualTo(ForwardingTask.State.SENT);
            assertThat(t.getLastError()).contains("did not answer the association request within 300 ms");
        }
        assertThat(hung.accepted()).isGreaterThanOrEqualTo(2);

        // A PACS that answers takes the address over: everything is forwarded.
        hung.close();
        hung = null;
        orthanc = OrthancPeer.start(folder.resolve("orthanc"),
                Map.of("radloop", List.of("RADLOOP", "127.0.0.1", PacsPeers.dicomPort(settings))), pacsPort, TestEngine.freePort());
        await().atMost(Duration.ofSeconds(60)).until(() -> PacsPeers.forwardingTasks(engine, b.studyUid).stream()
                .allMatch(t -> t.getState() == ForwardingTask.State.SENT));
        for (Path f : slices) assertThat(orthanc.hasInstance(PacsPeers.sopUid(f))).isTrue();
    }
}
