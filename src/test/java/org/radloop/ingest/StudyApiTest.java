package org.radloop.ingest;

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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Study;

/** The study and quarantine endpoints over real HTTP, behind the bearer token. */
class StudyApiTest {

    @TempDir
    static Path folder;

    static RadLoopEngine engine;
    static ScpStandIn scp;
    static MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    static String base;
    static String token;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Properties p = StudyEngines.settings(folder);
        engine = StudyEngines.start(p, clock);
        scp = new ScpStandIn(engine);
        base = "http://127.0.0.1:" + p.getProperty("radloop.http.port");
        token = p.getProperty("radloop.api.token");
    }

    @AfterAll
    static void stop() {
        if (engine != null) engine.close();
    }

    @Test
    void refusesRequestsWithoutTheBearerToken() throws Exception {
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/studies")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/quarantine"))
                .header("Authorization", "Bearer " + token + "x").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> retry = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/quarantine/1/retry"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(retry.statusCode()).isEqualTo(401);
    }

    @Test
    void listsStudiesByFacilityStateDateAndUnmatchedAndShowsOneWithItsSeriesOrderAndPlaceInTheLoop() throws Exception {
        long orderId = TestOrders.insert(engine, "MRN-API-1", "Api", "Anna", "F", "API-1", "CT",
                ImagingOrder.Priority.STAT);
        var ct = new DicomSamples.StudyBuilder(folder.resolve("api-ct")).accession("API-1")
                .patient("MRN-API-1", "Api^Anna", "F", null);
        String s1 = DicomSamples.uid();
        String s2 = DicomSamples.uid();
        scp.storeOk(ct.instance(DicomSamples.CT, s1, 1), "STM_CT1");
        scp.storeOk(ct.instance(DicomSamples.CT, s1, 2), "STM_CT1");
        scp.storeOk(ct.instance(DicomSamples.CT, s2, 1), "STM_CT1");
        var mr = new DicomSamples.StudyBuilder(folder.resolve("api-mr")).accession("API-NG-1")
                .patient("MRN-API-2", "Other^Olga", "F", null);
        scp.storeOk(mr.instance(DicomSamples.MR, DicomSamples.uid(), 1), "NG_MR");

        assertThat(uids(get("/api/studies?facility=st-marys"))).contains(ct.studyUid).doesNotContain(mr.studyUid);
        assertThat(uids(get("/api/studies?facility=northgate-imaging"))).contains(mr.studyUid).doesNotContain(ct.studyUid);
        assertThat(uids(get("/api/studies?unmatched=true"))).contains(mr.studyUid).doesNotContain(ct.studyUid);
        assertThat(uids(get("/api/studies?state=receiving"))).contains(ct.studyUid, mr.studyUid);
        assertThat(uids(get("/api/studies?date=2004-01-19"))).contains(ct.studyUid).doesNotContain(mr.studyUid);
        assertThat(uids(get("/api/studies?date=20040826"))).contains(mr.studyUid).doesNotContain(ct.studyUid);
        assertThat(send("GET", "/api/studies?state=lost").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/studies?date=yesterday").statusCode()).isEqualTo(400);

        JsonNode study = get("/api/studies/" + ct.studyUid);
        assertThat(study.path("facility").asText()).isEqualTo("st-marys");
        assertThat(study.path("seriesCount").asInt()).isEqualTo(2);
        assertThat(study.path("instanceCount").asInt()).isEqualTo(3);
        assertThat(study.path("series")).hasSize(2);
        List<Integer> counts = new ArrayList<>();
        study.path("series").forEach(s -> counts.add(s.path("instanceCount").asInt()));
        assertThat(counts).containsExactlyInAnyOrder(2, 1);
        assertThat(study.path("order").path("id").asLong()).isEqualTo(orderId);
        assertThat(study.path("order").path("priority").asText()).isEqualTo("STAT");
        assertThat(study.path("order").path("accessionNumber").asText()).isEqualTo("API-1");
        assertThat(study.path("patient").path("dicomPatientId").asText()).isEqualTo("MRN-API-1");
        assertThat(study.path("loop").path("stage").asText()).isEqualTo("ingest");
        assertThat(study.path("loop").path("status").asText()).isEqualTo("receiving instances");

        clock.advance(Duration.ofSeconds(6));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/studies/" + ct.studyUid).path("state").asText()
                .equals(Study.State.TRIAGE_QUEUED.name()));
        assertThat(get("/api/studies/" + ct.studyUid).path("loop").path("stage").asText()).isEqualTo("triage");
        assertThat(uids(get("/api/studies?state=TRIAGE_QUEUED"))).contains(ct.studyUid).doesNotContain(mr.studyUid);

        HttpResponse<String> missing = send("GET", "/api/studies/1.2.3.4.5.404");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Authorization")).as("request headers are not echoed").isEmpty();
    }

    @Test
    void aQuarantinedInstanceIsListedAndIndexedByARetryOnceItsCauseIsFixed() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("api-q")).accession("API-Q-1");
        scp.store(b.instance(DicomSamples.CT, DicomSamples.uid(), 1), "STM_NEW_CT");

        JsonNode list = get("/api/quarantine?state=quarantined");
        JsonNode item = null;
        for (JsonNode i : list.path("items")) if ("STM_NEW_CT".equals(i.path("callingAeTitle").asText())) item = i;
        assertThat(item).isNotNull();
        assertThat(item.path("reason").asText()).contains("belongs to no configured facility");
        long id = item.path("id").asLong();

        JsonNode stillUnknown = JSON.readTree(send("POST", "/api/quarantine/" + id + "/retry").body());
        assertThat(stillUnknown.path("state").asText()).isEqualTo("QUARANTINED");
        assertThat(stillUnknown.path("retryCount").asInt()).isEqualTo(1);
        assertThat(stillUnknown.path("error").asText()).contains("STM_NEW_CT");

        // The analyst adds the new CT scanner to the facility file; the engine picks it up without a restart.
        Path facility = folder.resolve("conf/facilities/st-marys.yaml");
        Files.writeString(facility, Files.readString(facility).replace("STM_PACS]", "STM_PACS, STM_NEW_CT]"));
        Files.setLastModifiedTime(facility, FileTime.from(Instant.now().plusSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.facilities().byCallingAeTitle("STM_NEW_CT").isPresent());

        HttpResponse<String> released = send("POST", "/api/quarantine/" + id + "/retry");
        assertThat(released.statusCode()).isEqualTo(200);
        JsonNode outcome = JSON.readTree(released.body());
        assertThat(outcome.path("state").asText()).isEqualTo("RELEASED");
        assertThat(outcome.path("retryCount").asInt()).isEqualTo(2);
        assertThat(outcome.path("studyInstanceUid").asText()).isEqualTo(b.studyUid);
        assertThat(get("/api/studies/" + b.studyUid).path("instanceCount").asInt()).isEqualTo(1);

        assertThat(send("POST", "/api/quarantine/" + id + "/retry").statusCode()).isEqualTo(409);
        assertThat(send("POST", "/api/quarantine/987654/retry").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/quarantine/abc/retry").statusCode()).isEqualTo(400);
    }

    static List<String> uids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("studies").forEach(s -> out.add(s.path("studyInstanceUid").asText()));
        return out;
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
