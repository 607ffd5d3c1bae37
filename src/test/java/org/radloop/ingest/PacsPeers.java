package org.radloop.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.radloop.dicom.Part10;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.ForwardingTask;
import org.radloop.support.DcmtkTool;
import org.radloop.support.TestEngine;

/**
 * What the PACS tests share: an engine with the project's routes and a copy of conf/ with test
 * facilities whose dicom.pacs is a real Orthanc, dcmtk's storescu as the modality, and the HTTP API.
 */
final class PacsPeers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PacsPeers() {
    }

    /** Engine settings with fast sweeps and backoff, and conf/ copied to {@code folder/conf}. */
    static Properties settings(Path folder, int maxAttempts) throws IOException {
        Properties p = TestEngine.settings(folder.resolve("data"));
        Path conf = folder.resolve("conf");
        TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), conf);
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.study.completion.sweep.ms", "200");
        for (String stage : List.of("forwarding", "priors")) {
            p.setProperty("radloop." + stage + ".sweep.ms", "200");
            p.setProperty("radloop." + stage + ".retry.initial.ms", "300");
            p.setProperty("radloop." + stage + ".retry.max.ms", "1000");
            p.setProperty("radloop." + stage + ".retry.max.attempts", Integer.toString(maxAttempts));
        }
        return p;
    }

    /** Writes (or rewrites) a facility file into the engine's conf copy. */
    static void writeFacility(Properties settings, String id, String callingAe, String pacsAe, int pacsPort,
                              boolean forward, boolean priors, int priorCount) throws IOException {
        String yaml = "id: " + id + "\n"
                + "name: Test facility " + id + "\n"
                + "timeZone: Europe/London\n"
                + "hl7:\n  sendingFacilities: [" + id.toUpperCase().replace('-', '_') + "]\n"
                + "dicom:\n"
                + "  callingAeTitles: [" + callingAe + "]\n"
                + "  studyQuietPeriodSeconds: 1\n"
                + "  pacs:\n"
                + "    aeTitle: " + pacsAe + "\n"
                + "    host: 127.0.0.1\n"
                + "    port: " + pacsPort + "\n"
                + "    forwardInstances: " + forward + "\n"
                + "    fetchPriors: " + priors + "\n"
                + "    priorCount: " + priorCount + "\n";
        Path file = Path.of(settings.getProperty("radloop.conf.dir")).resolve("facilities").resolve(id + ".yaml");
        Path tmp = file.resolveSibling(id + ".yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static int dicomPort(Properties settings) {
        return Integer.parseInt(settings.getProperty("radloop.dicom.port"));
    }

    /** dcmtk's storescu as the modality: one association for all files, proposing {@code proposal} (e.g. -xe). */
    static DcmtkTool.Result storescu(Properties settings, String callingAe, String proposal, List<Path> files)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", proposal, "-aet", callingAe, "-aec",
                settings.getProperty("radloop.dicom.aet", "RADLOOP"), "127.0.0.1", Integer.toString(dicomPort(settings))));
        files.forEach(f -> cmd.add(f.toString()));
        return DcmtkTool.run(cmd);
    }

    /**
     * {@code source} as storescu puts it on the wire (dcmconv -p: same transfer syntax, explicit
     * lengths, no trailing padding), so that the bytes RadLoop and the PACS store can be compared
     * with a file the test holds.
     */
    static Path asSent(Path source, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        DcmtkTool.Result r = DcmtkTool.run("dcmconv", "-p", source.toString(), target.toString());
        if (!r.succeeded()) throw new IllegalStateException("dcmconv failed for " + source + ": " + r.output());
        return target;
    }

    /** The data set bytes of a Part 10 file (everything after its meta header). */
    static byte[] dataSet(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, (int) Part10.dataSetOffset(file), all.length);
    }

    static byte[] dataSet(byte[] part10, Path scratch) throws IOException {
        Files.write(scratch, part10);
        return dataSet(scratch);
    }

    static String tag(Path file, com.pixelmed.dicom.AttributeTag tag) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrNull(list, tag);
    }

    static String sopUid(Path file) throws Exception {
        return tag(file, TagFromName.SOPInstanceUID);
    }

    static String studyUid(Path file) throws Exception {
        return tag(file, TagFromName.StudyInstanceUID);
    }

    /** GET on the engine's API, as JSON; fails on anything but 200. */
    static JsonNode get(RadLoopEngine engine, String path) throws Exception {
        HttpResponse<String> r = send(engine, HttpRequest.newBuilder(uri(engine, path)).GET());
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** GET on the engine's HTTP server as text (e.g. /metrics). */
    static String text(RadLoopEngine engine, String path) throws Exception {
        HttpResponse<String> r = send(engine, HttpRequest.newBuilder(uri(engine, path)).GET());
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** POST on the engine's API: the status and the JSON body. */
    static HttpResponse<String> post(RadLoopEngine engine, String path) throws Exception {
        return send(engine, HttpRequest.newBuilder(uri(engine, path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(RadLoopEngine engine, HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(RadLoopEngine engine, String path) {
        return URI.create("http://127.0.0.1:" + engine.settings().get("radloop.http.port", null) + path);
    }


    /** The forwarding tasks of a study, oldest first. */
    static List<ForwardingTask> forwardingTasks(RadLoopEngine engine, String studyUid) {
        return engine.store().fromTransaction(s -> s.createSelectionQuery("select t from ForwardingTask t, Study s"
                        + " where s.id = t.studyId and s.studyInstanceUid = :u order by t.id", ForwardingTask.class)
                .setParameter("u", studyUid).getResultList());
    }
}
