package org.radloop.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (/usr/sbin/Orthanc) for a test: its own config, storage and index in a folder of
 * the test's, free DICOM and HTTP ports, HTTP on loopback only, no authentication. Orthanc 1.10
 * cannot bind DICOM to loopback; acceptable for tests on this machine. Stopped by its own process
 * handle, never by name.
 */
public final class OrthancPeer implements AutoCloseable {

    public static final String AE_TITLE = "ORTHANC";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int dicomPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancPeer(Process process, int dicomPort, int httpPort) {
        this.process = process;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
    }

    /**
     * Starts Orthanc in {@code dir}. {@code modalities} maps a name to {AE title, host, port}: the
     * peers Orthanc may C-MOVE to and accepts C-FIND/C-MOVE from.
     */
    public static OrthancPeer start(Path dir, Map<String, List<Object>> modalities) throws Exception {
        return start(dir, modalities, TestEngine.freePort(), TestEngine.freePort());
    }

    /**
     * Starts Orthanc on given ports: a test that stops its PACS and brings it back (same storage,
     * same address) starts the second one like this once the first has exited.
     */
    public static OrthancPeer start(Path dir, Map<String, List<Object>> modalities, int dicomPort, int httpPort) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Name", "radloop-test");
        config.put("StorageDirectory", dir.resolve("storage").toString());
        config.put("IndexDirectory", dir.resolve("index").toString());
        config.put("DicomAet", AE_TITLE);
        config.put("DicomPort", dicomPort);
        config.put("HttpPort", httpPort);
        config.put("RemoteAccessAllowed", false);
        config.put("AuthenticationEnabled", false);
        config.put("DicomCheckCalledAet", false);
        config.put("DicomAlwaysAllowEcho", true);
        config.put("DicomAlwaysAllowStore", true);
        config.put("DicomModalities", modalities);
        config.put("Plugins", List.of());
        config.put("StableAge", 1);
        config.put("ConcurrentJobs", 1);
        Path configFile = dir.resolve("orthanc.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
        Process p = new ProcessBuilder("/usr/sbin/Orthanc", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile())
                .start();
        OrthancPeer peer = new OrthancPeer(p, dicomPort, httpPort);
        peer.awaitReady(dir);
        return peer;
    }

    private void awaitReady(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited: " + Files.readString(dir.resolve("orthanc.log")));
            }
            try {
                HttpResponse<String> r = http.send(request("/system").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("Orthanc did not answer /system within 30 s");
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** GET on Orthanc's REST API, parsed as JSON. */
    public JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** GET on Orthanc's REST API for a plain text answer (e.g. an instance's metadata item). */
    public String text(String path) throws Exception {
        HttpResponse<String> r = send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body().trim();
    }

    /** POST with a plain text body (as /tools/lookup wants), parsed as JSON. */
    public JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Stores a Part 10 file through the REST API (POST /instances), as if it had long been in the PACS. */
    public JsonNode upload(Path file) throws Exception {
        HttpResponse<String> r = send(request("/instances").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /instances " + file + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The Orthanc identifier of the instance with this SOP Instance UID, or null. */
    public String instanceId(String sopInstanceUid) throws Exception {
        for (JsonNode hit : post("/tools/lookup", sopInstanceUid)) {
            if ("Instance".equals(hit.path("Type").asText())) {
                return hit.path("ID").asText();
            }
        }
        return null;
    }

    /** Orthanc identifiers of every stored instance. */
    public List<String> instances() throws Exception {
        List<String> ids = new ArrayList<>();
        get("/instances").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** True when Orthanc holds an instance with this SOP Instance UID. */
    public boolean hasInstance(String sopInstanceUid) throws Exception {
        for (JsonNode hit : post("/tools/lookup", sopInstanceUid)) {
            if ("Instance".equals(hit.path("Type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The stored file of an instance, as Orthanc keeps it. */
    public byte[] instanceFile(String orthancId) throws Exception {
        return send(request("/instances/" + orthancId + "/file").GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /**
     * Orthanc's HTTP server closes idle keep-alive connections, and the JDK client may pick such a
     * connection just as it closes ("header parser received no bytes"); the calls used here are
     * read-only, so they are simply sent again.
     */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return http.send(request, handler);
            } catch (IOException closedUnderUs) {
                last = closedUnderUs;
            }
        }
        throw last;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
