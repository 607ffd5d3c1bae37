package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.dicom.Part10;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.ForwardingTask;
import org.radloop.model.Instance;
import org.radloop.support.EngineProcess;
import org.radloop.support.TestEngine;

/**
 * Kill -9 in the middle of a CT series: the engine runs as its own JVM, dcmtk's storescu sends a
 * long series, and the engine process is killed with SIGKILL once a few dozen slices are on disk.
 * storescu's log says which slices got a success status. After a restart on the same data folder,
 * every one of those is on disk with the bytes sent, indexed, and owed to the PACS (its forwarding
 * task committed with it).
 */
class DicomCrashSafetyTest {

    private static final int SLICES = 600;
    private static final int KILL_AFTER_FILES = 30;

    @TempDir
    Path dir;

    @Test
    void aKillMidSeriesLosesNoAcknowledgedInstance() throws Exception {
        Properties p = PacsPeers.settings(dir, 100);
        // The PACS is never there: forwarding tasks stay owed, which is what the restart must show.
        PacsPeers.writeFacility(p, "crash-test", "CRASH_CT", "CRASHPACS", TestEngine.freePort(), true, false, 0);
        p.setProperty("radloop.forwarding.retry.initial.ms", "600000");
        List<Path> series = series(dir.resolve("series"), SLICES);
        Path data = Path.of(p.getProperty("radloop.data.dir"));

        Process engine = startEngine(p, dir.resolve("engine.log"));
        Process storescu = null;
        String log;
        try {
            EngineProcess.awaitListening(PacsPeers.dicomPort(p), engine);
            List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aet", "CRASH_CT", "-aec", "RADLOOP", "127.0.0.1",
                    Integer.toString(PacsPeers.dicomPort(p))));
            series.forEach(f -> cmd.add(f.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("storescu.log").toFile());
            pb.environment().put("TCP_NODELAY", "1");
            storescu = pb.start();
            Path dicom = data.resolve("dicom");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> storedFiles(dicom) >= KILL_AFTER_FILES);
            engine.destroyForcibly(); // SIGKILL
            assertThat(engine.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(storescu.waitFor(60, TimeUnit.SECONDS)).isTrue();
            log = Files.readString(dir.resolve("storescu.log"), StandardCharsets.UTF_8);
        } finally {
            engine.destroyForcibly();
            if (storescu != null) storescu.destroyForcibly();
        }

        List<Path> acknowledged = acknowledged(log);
        System.out.printf("crash test: %d of %d slices acknowledged before the kill%n", acknowledged.size(), SLICES);
        assertThat(acknowledged).as("some slices were acknowledged before the kill").isNotEmpty();
        assertThat(acknowledged.size()).as("the kill came in the middle of the series").isLessThan(SLICES);

        try (RadLoopEngine restarted = TestEngine.start(p)) {
            for (Path sent : acknowledged) {
                String sop = PacsPeers.sopUid(sent);
                Instance indexed = restarted.store().fromTransaction(s -> s.createSelectionQuery(
                        "from Instance where sopInstanceUid = :u and currentVersion = true", Instance.class)
                        .setParameter("u", sop).uniqueResult());
                assertThat(indexed).as("acknowledged and indexed: " + sent.getFileName()).isNotNull();
                Path stored = Path.of(indexed.getFilePath());
                assertThat(stored).as("on disk: " + sent.getFileName()).isRegularFile();
                String sha = Part10.sha256OfDataSet(sent);
                assertThat(Part10.sha256OfDataSet(stored)).as("the bytes sent: " + sent.getFileName()).isEqualTo(sha);
                assertThat(indexed.getSha256()).isEqualTo(sha);
                long tasks = restarted.store().fromTransaction(s -> s.createSelectionQuery(
                        "select count(t) from ForwardingTask t where t.instanceId = :i and t.state <> :sent", Long.class)
                        .setParameter("i", indexed.getId()).setParameter("sent", ForwardingTask.State.SENT).getSingleResult());
                assertThat(tasks).as("still owed to the PACS: " + sent.getFileName()).isEqualTo(1);
            }
        }
    }

    /** The files storescu's verbose log shows as "Sending file" followed by a success response. */
    static List<Path> acknowledged(String log) {
        List<Path> ok = new ArrayList<>();
        String current = null;
        for (String line : log.split("\n")) {
            if (line.startsWith("I: Sending file: ")) current = line.substring("I: Sending file: ".length()).trim();
            else if (line.startsWith("I: Received Store Response (Success)") && current != null) {
                ok.add(Path.of(current));
                current = null;
            }
        }
        return ok;
    }

    private static long storedFiles(Path dicom) throws IOException {
        if (!Files.isDirectory(dicom)) return 0;
        try (Stream<Path> all = Files.walk(dicom)) {
            return all.filter(f -> f.toString().endsWith(".dcm") && !f.toString().contains(".incoming")).count();
        }
    }

    /**
     * One study, one series of CT slices from CT_small.dcm, explicit VR, without what storescu would
     * re-encode (trailing padding, an undefined-length sequence): so the file is what goes on the wire.
     */
    private static List<Path> series(Path folder, int slices) throws Exception {
        Files.createDirectories(folder);
        AttributeList template = new AttributeList();
        template.read(DicomSamples.CT.toFile());
        template.removeGroupLengthAttributes();
        template.removeMetaInformationHeaderAttributes();
        template.remove(TagFromName.DataSetTrailingPadding);
        // storescu re-encodes sequences with explicit lengths; without one, the bytes it sends are the file's.
        template.remove(TagFromName.OtherPatientIDsSequence);
        Map<AttributeTag, String> fixed = new LinkedHashMap<>();
        fixed.put(TagFromName.StudyInstanceUID, DicomSamples.uid());
        fixed.put(TagFromName.SeriesInstanceUID, DicomSamples.uid());
        fixed.put(TagFromName.PatientID, "MRN-CRASH-1");
        fixed.put(TagFromName.AccessionNumber, "CRASH-1");
        for (Map.Entry<AttributeTag, String> e : fixed.entrySet()) put(template, e.getKey(), e.getValue());
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= slices; i++) {
            put(template, TagFromName.SOPInstanceUID, DicomSamples.uid());
            put(template, TagFromName.InstanceNumber, Integer.toString(i));
            template.removeMetaInformationHeaderAttributes();
            FileMetaInformation.addFileMetaInformation(template, TransferSyntax.ExplicitVRLittleEndian, "RADLOOPTEST");
            Path f = folder.resolve(String.format("ct-%04d.dcm", i));
            template.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            files.add(f);
        }
        return files;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static Process startEngine(Properties p, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:TieredStopAtLevel=1"); // quicker start on a shared test machine; behaviour is the same
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        for (String key : p.stringPropertyNames()) cmd.add("-D" + key + "=" + p.getProperty(key));
        cmd.add("-Dradloop.models.demo.build.at.start=false");
        cmd.add("org.radloop.cli.RadLoopCommand");
        cmd.add("start");
        cmd.add("--home");
        cmd.add(TestEngine.projectHome().toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
