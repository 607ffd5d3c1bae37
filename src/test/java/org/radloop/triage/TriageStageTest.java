package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.RadLoopSettings;
import org.radloop.dicom.DicomConstants;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.ingest.MllpTestClient;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.Study;
import org.radloop.model.TriageRecord;
import org.radloop.support.TestEngine;
import org.radloop.triage.TriageStudies.PhantomStudy;
import org.radloop.triage.demo.DemoModelBuilder;

/**
 * The triage stage in a real engine, end to end: HL7 orders over MLLP, DICOM over the network with
 * RadLoop's own storage SCU, completion when the test clock passes the quiet period, then
 * routes/triage.yaml (models, rules, priority), the worklist and model list over HTTP, and
 * radloop.route read as the next stage would read it.
 *
 * <p>The engine runs the demonstration CT head model and, beside it, models that cannot help: one
 * whose ONNX file is missing, one whose file is not ONNX, one that fails when it runs. Only this
 * stage's routes run, from a copy, so that no later stage takes the messages off radloop.route.
 * Run on H2 ({@link TriageStageH2Test}) and on the local PostgreSQL ({@link TriageStagePostgresTest}).
 */
abstract class TriageStageTest {

    static final String[] ROUTES = {"ingest-dicom.yaml", "ingest-hl7.yaml", "ingest-orders.yaml", "study-completion.yaml",
        "triage.yaml"};
    /** St Mary's (conf/facilities/st-marys.yaml): 5 s quiet period; turnaround stat 60, urgent 240, routine 2880 min. */
    static final Duration PAST_QUIET = Duration.ofSeconds(6);
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger PLACERS = new AtomicInteger();

    @TempDir
    static Path folder;

    static MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    static RadLoopEngine engine;
    static Properties settings;
    static RouteQueue route;
    static HttpClient http = HttpClient.newHttpClient();

    /** Starts the engine with these settings on top of the test defaults; called once per concrete class. */
    static void startWith(Properties extra) throws Exception {
        Path home = TestEngine.projectHome();
        Path conf = folder.resolve("conf");
        TestEngine.copyTree(home.resolve("conf"), conf);
        Path models = conf.resolve("models");
        Path data = folder.resolve("data");
        // The demonstration CT head model, as `radloop models build-demo` leaves it (small build, fixed seed).
        Files.delete(models.resolve(DemoModelBuilder.CT_HEAD_BLEED + ".yaml"));
        DemoModelFixture.copyYaml(DemoModelBuilder.CT_HEAD_BLEED, models);
        Path onnx = data.resolve("models/" + DemoModelBuilder.CT_HEAD_BLEED + "/model.onnx");
        Files.createDirectories(onnx.getParent());
        Files.copy(DemoModelFixture.dataDir().resolve("models/" + DemoModelBuilder.CT_HEAD_BLEED + "/model.onnx"), onnx);
        // Models that cannot help, on the same CT heads: a missing file, a file that is not ONNX, and a
        // valid graph whose YAML names two labels for its one output (it fails when it first runs).
        Files.writeString(models.resolve("ct-head-missing.yaml"), headOnly(
                TestOnnxGraphs.hyperdensityYaml("ct-head-missing", "no-such-model.onnx", "CT"), null));
        Files.writeString(models.resolve("broken.onnx"), "this is not an ONNX graph");
        Files.writeString(models.resolve("ct-head-broken.yaml"), headOnly(
                TestOnnxGraphs.hyperdensityYaml("ct-head-broken", "broken.onnx", "CT"), null));
        TestOnnxGraphs.hyperdensityDetector(models.resolve("one-output.onnx"));
        Files.writeString(models.resolve("ct-head-fails-at-run.yaml"), headOnly(
                TestOnnxGraphs.hyperdensityYaml("ct-head-fails-at-run", "one-output.onnx", "CT"), "RUN-FAILURE")
                .replace("labels: [hyperdensity]", "labels: [hyperdensity, other]"));

        Path routes = Files.createDirectories(folder.resolve("routes"));
        for (String r : ROUTES) Files.copy(home.resolve("routes").resolve(r), routes.resolve(r));
        settings = TestEngine.settings(data);
        settings.setProperty("radloop.conf.dir", conf.toString());
        settings.setProperty("radloop.routes.dir", routes.toString());
        settings.setProperty("radloop.study.completion.sweep.ms", "200");
        settings.putAll(extra);
        engine = new RadLoopEngine(RadLoopSettings.of(home, settings)).clock(clock).start();
        route = new RouteQueue();
    }

    static void stopEngine() {
        if (route != null) route.close();
        if (engine != null) engine.close();
        route = null;
        engine = null;
    }

    /** Restricts a test model to CT heads, and with a pattern to series whose description names it. */
    private static String headOnly(String yaml, String seriesPattern) {
        String selectors = "  modalities: [CT]\n  bodyParts: [HEAD]\n"
                + (seriesPattern == null ? "" : "  descriptionPatterns: [\"" + seriesPattern + "\"]\n");
        return yaml.replace("  modalities: [CT]\n", selectors);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void aBleedCtSentAfterFiftyRoutineStudiesIsCriticalAndComesFirstInTheWorklistAndOffTheRouteQueue() throws Exception {
        // A routine list: CT heads without a bleed and MR brains (which no model reads), routine orders.
        List<PhantomStudy> routine = new ArrayList<>();
        long seed = 1000;
        for (int i = 0; i < 50; i++) {
            // One in five a CT head (six slices each), to keep the test quick: every file is stored and fsync'd.
            if (i % 5 == 0) {
                PhantomStudy ct = normalCtHead(folder.resolve("fifty/ct" + i), seed, "MRN-R" + i, Map.of());
                seed = ct.seed() + 1;
                routine.add(ct);
            } else {
                routine.add(TriageStudies.mrBrain(folder.resolve("fifty/mr" + i), placer(), "MRN-M" + i));
            }
        }
        PhantomStudy bleed = TriageStudies.ctHead(folder.resolve("fifty/bleed"), 77, 6, true, placer(), "MRN-B1", Map.of());
        List<PhantomStudy> all = new ArrayList<>(routine);
        all.add(bleed);
        orders(routine.stream().filter(p -> p.seed() >= 0).toList(), "CTHEADWO", "R", "^Headache for 3 weeks");
        orders(routine.stream().filter(p -> p.seed() < 0).toList(), "MRBRN", "R", "^Headache for 3 weeks");
        orders(List.of(bleed), "CTHEADWO", "R", "^Headache for 3 weeks");
        // The routine studies first, the bleed last.
        store("STM_CT1", routine.stream().filter(p -> p.seed() >= 0).flatMap(p -> p.files().stream()).toList());
        store("STM_MR1", routine.stream().filter(p -> p.seed() < 0).flatMap(p -> p.files().stream()).toList());
        store("STM_CT1", bleed.files());

        clock.advance(PAST_QUIET);
        awaitTriaged(all);

        TriageRecord critical = decision(bleed.studyUid());
        assertThat(critical.getUrgency()).isEqualTo("CRITICAL");
        assertThat(critical.getJmsPriority()).isEqualTo(9);
        assertThat(critical.getReasons()).contains("finding:RADLOOP-DEMO-ICH");
        for (PhantomStudy r : routine) {
            TriageRecord d = decision(r.studyUid());
            assertThat(d.getUrgency()).as("routine study %s", r.placer()).isEqualTo("ROUTINE");
            assertThat(d.getFindingScore()).isZero();
        }
        // The demonstration model ran on every one of them and stored what it found.
        assertThat(findings(bleed.studyUid())).filteredOn(AiFinding::isPositive).extracting(AiFinding::getModelId)
                .containsExactly(DemoModelBuilder.CT_HEAD_BLEED);
        assertThat(findings(routine.get(0).studyUid())).extracting(AiFinding::getModelId).contains(DemoModelBuilder.CT_HEAD_BLEED);
        assertThat(findings(routine.get(1).studyUid())).as("no model reads MR").isEmpty();
        assertThat(routine).hasSize(50).filteredOn(p -> p.seed() >= 0).hasSize(10);

        JsonNode worklist = get("/api/worklist?facility=st-marys&limit=1000");
        JsonNode first = worklist.path("items").get(0);
        assertThat(first.path("studyInstanceUid").asText()).isEqualTo(bleed.studyUid());
        assertThat(first.path("rank").asInt()).isEqualTo(1);
        assertThat(first.path("urgency").asText()).isEqualTo("CRITICAL");
        assertThat(first.path("subspecialty").asText()).isEqualTo("neuro");
        assertThat(codes(first)).contains("finding:RADLOOP-DEMO-ICH");
        assertThat(texts(first)).anyMatch(t -> t.contains("Suspected intracranial haemorrhage"));
        List<String> order = uids(worklist);
        for (PhantomStudy r : routine) assertThat(order.indexOf(r.studyUid())).isGreaterThan(0);
        assertThat(uids(get("/api/worklist?urgency=critical&subspecialty=neuro"))).containsExactly(bleed.studyUid());

        String metrics = engine.metrics().registry().scrape();
        assertThat(metrics).contains("radloop_triage_decisions_total{urgency=\"critical\"}")
                .contains("radloop_triage_decisions_total{urgency=\"routine\"}")
                .containsPattern("radloop_stage_latency_seconds_count\\{stage=\"triage\"\\} [1-9]");

        // Everything waiting on radloop.route, as the routing stage will take it: the bleed first.
        List<RouteQueue.Received> taken = route.drain();
        assertThat(taken).isNotEmpty();
        assertThat(taken.get(0).message()).isEqualTo(new StageMessage("study", bleed.studyUid(), "st-marys", "triaged"));
        assertThat(taken.get(0).priority()).isEqualTo(9);
        assertThat(taken.get(0).duplicateId()).isEqualTo("study-triaged:" + bleed.studyUid() + "#0");
        for (PhantomStudy r : routine) {
            assertThat(route.forStudy(r.studyUid())).as("one routing message per study").singleElement()
                    .satisfies(m -> assertThat(m.priority()).isEqualTo(4));
        }
    }

    @Test
    void aStatOrderToRuleOutStrokeIsUrgentWhenNoModelMatches() throws Exception {
        PhantomStudy mr = TriageStudies.mrBrain(folder.resolve("stroke"), placer(), "MRN-S1");
        orders(List.of(mr), "MRBRN", "S", "^rule out stroke");
        store("STM_MR1", mr.files());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(mr));

        TriageRecord d = decision(mr.studyUid());
        assertThat(d.getUrgency()).isEqualTo("URGENT");
        assertThat(d.getFindingScore()).isZero();
        assertThat(d.getRuleScore()).isEqualTo(ClinicalRules.MAX_RULE_SCORE);
        assertThat(d.getJmsPriority()).isEqualTo(7);
        assertThat(findings(mr.studyUid())).as("no model runs on MR").isEmpty();
        JsonNode item = worklistItem(mr.studyUid());
        assertThat(codes(item)).contains("lexicon:stroke", "order-priority:STAT").noneMatch(c -> c.startsWith("model-"));
        assertThat(texts(item)).anyMatch(t -> t.contains("'stroke'"));
        assertThat(item.path("urgency").asText()).isEqualTo("URGENT");

        route.drain();
        assertThat(route.forStudy(mr.studyUid())).singleElement().satisfies(m -> assertThat(m.priority()).isEqualTo(7));
    }

    @Test
    void modelsThatAreMissingBrokenOrFailDoNotHoldUpTriageAndAreListedUnavailableWithTheirReason() throws Exception {
        PhantomStudy ct = normalCtHead(folder.resolve("broken"), 501, "MRN-M1",
                Map.of(TagFromName.SeriesDescription, "AXIAL 5MM RUN-FAILURE"));
        orders(List.of(ct), "CTHEADWO", "R", "^Headache for 3 weeks");
        store("STM_CT1", ct.files());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(ct));

        JsonNode item = worklistItem(ct.studyUid());
        assertThat(item.path("state").asText()).isEqualTo("TRIAGED");
        assertThat(codes(item)).contains("model-unavailable:ct-head-missing", "model-unavailable:ct-head-broken",
                "model-failed:ct-head-fails-at-run");
        assertThat(texts(item)).anyMatch(t -> t.contains("ct-head-missing") && t.contains("does not exist"))
                .anyMatch(t -> t.contains("ct-head-fails-at-run") && t.contains("values per slice"));
        // The working model still ran on it.
        assertThat(findings(ct.studyUid())).extracting(AiFinding::getModelId).contains(DemoModelBuilder.CT_HEAD_BLEED);
        route.drain();
        assertThat(route.forStudy(ct.studyUid())).hasSize(1);

        JsonNode models = get("/api/models");
        assertThat(model(models, "ct-head-missing").path("state").asText()).isEqualTo("unavailable");
        assertThat(model(models, "ct-head-missing").path("reason").asText()).contains("no-such-model.onnx").contains("does not exist");
        assertThat(model(models, "ct-head-broken").path("state").asText()).isEqualTo("unavailable");
        assertThat(model(models, "ct-head-broken").path("reason").asText()).contains("cannot load");
        JsonNode failing = model(models, "ct-head-fails-at-run");
        assertThat(failing.path("state").asText()).isEqualTo("unavailable");
        assertThat(failing.path("reason").asText()).contains("values per slice");
        assertThat(failing.path("sinceStart").path("failures").asLong()).isEqualTo(1);
        assertThat(failing.path("version").asText()).isEqualTo("0.1");
        JsonNode demo = model(models, DemoModelBuilder.CT_HEAD_BLEED);
        assertThat(demo.path("state").asText()).isEqualTo("available");
        assertThat(demo.path("version").asText()).isEqualTo("1.0.0");
        assertThat(demo.path("reason").isNull()).isTrue();
        assertThat(demo.path("studies").path("run").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(demo.path("sinceStart").path("failures").asLong()).isZero();
    }

    @Test
    void aSecondModelWithAnNchwInputDroppedIntoTheRunningEngineRunsFromItsYamlAlone() throws Exception {
        // Built here as an ONNX graph (a fixed 3x3 convolution over two windows, [N, 2, 32, 32]); nothing
        // but its YAML tells RadLoop how to feed it. It only takes series whose description names it.
        Path models = folder.resolve("conf/models");
        TestOnnxGraphs.hyperdensityDetector(models.resolve("research-cnn.onnx"));
        Files.writeString(models.resolve("research-cnn.yaml"), TestOnnxGraphs.hyperdensityYaml("research-cnn",
                "research-cnn.onnx", "CT").replace("  modalities: [CT]\n", "  modalities: [CT]\n  descriptionPatterns: [\"RESEARCH-CNN\"]\n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(model(get("/api/models"), "research-cnn").path("state").asText()));

        Map<AttributeTag, String> research = Map.of(TagFromName.StudyDescription, "CT RESEARCH PHANTOM",
                TagFromName.SeriesDescription, "AXIAL RESEARCH-CNN");
        PhantomStudy positive = TriageStudies.ctHead(folder.resolve("nchw/pos"), 21, 9, true, placer(), "MRN-N1", research);
        PhantomStudy negative = TriageStudies.ctHead(folder.resolve("nchw/neg"), 22, 9, false, placer(), "MRN-N2", research);
        orders(List.of(positive, negative), "CTHEADWO", "R", "^Headache for 3 weeks");
        store("STM_CT1", Stream.concat(positive.files().stream(), negative.files().stream()).toList());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(positive, negative));

        AiFinding found = findings(positive.studyUid()).stream().filter(f -> f.getModelId().equals("research-cnn"))
                .findFirst().orElseThrow();
        assertThat(found.isPositive()).isTrue();
        assertThat(found.getProbability()).isGreaterThan(0.5);
        assertThat(found.getFindingCode()).isEqualTo("TEST-HYPERDENSE");
        assertThat(found.getModelVersion()).isEqualTo("0.1");
        assertThat(found.getSlices()).isNotBlank();
        AiFinding notFound = findings(negative.studyUid()).stream().filter(f -> f.getModelId().equals("research-cnn"))
                .findFirst().orElseThrow();
        assertThat(notFound.isPositive()).isFalse();
        assertThat(notFound.getProbability()).isLessThan(0.5);

        // Severity 3: the finding raises the study to urgent, never to critical.
        TriageRecord d = decision(positive.studyUid());
        assertThat(d.getUrgency()).isEqualTo("URGENT");
        assertThat(d.getReasons()).contains("finding:TEST-HYPERDENSE");
        assertThat(decision(negative.studyUid()).getUrgency()).isEqualTo("ROUTINE");
        JsonNode cnn = model(get("/api/models"), "research-cnn");
        assertThat(cnn.path("studies").path("run").asLong()).isEqualTo(2);
        assertThat(cnn.path("studies").path("positive").asLong()).isEqualTo(1);
    }

    @Test
    void aRoutineStudyPastItsDeadlineOvertakesNewerUrgentStudiesAsTheClockMoves() throws Exception {
        PhantomStudy old = TriageStudies.mrBrain(folder.resolve("ageing/routine"), placer(), "MRN-A1");
        orders(List.of(old), "MRBRN", "R", "^Headache for 3 weeks");
        store("STM_MR1", old.files());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(old));

        // 47 hours later (St Mary's routine turnaround is 48 h), two urgent studies (STAT orders) arrive.
        clock.advance(Duration.ofHours(47));
        PhantomStudy u1 = TriageStudies.mrBrain(folder.resolve("ageing/u1"), placer(), "MRN-A2");
        PhantomStudy u2 = TriageStudies.mrBrain(folder.resolve("ageing/u2"), placer(), "MRN-A3");
        orders(List.of(u1, u2), "MRBRN", "S", "^Headache for 3 weeks");
        store("STM_MR1", Stream.concat(u1.files().stream(), u2.files().stream()).toList());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(u1, u2));
        assertThat(decision(u1.studyUid()).getUrgency()).isEqualTo("URGENT");
        assertThat(decision(old.studyUid()).getUrgency()).isEqualTo("ROUTINE");

        List<String> mine = List.of(old.studyUid(), u1.studyUid(), u2.studyUid());
        List<String> before = uids(get("/api/worklist?limit=1000")).stream().filter(mine::contains).toList();
        assertThat(before.get(2)).as("within its deadline the routine study waits behind urgent work").isEqualTo(old.studyUid());
        assertThat(worklistItem(old.studyUid()).path("overdue").asBoolean()).isFalse();

        // One hour and a minute later it is past its 48 h: S >= 100 beats the urgent studies' 40 + 20 x 61/240.
        clock.advance(Duration.ofMinutes(61));
        List<String> after = uids(get("/api/worklist?limit=1000")).stream().filter(mine::contains).toList();
        assertThat(after.get(0)).isEqualTo(old.studyUid());
        assertThat(after).containsExactlyInAnyOrder(old.studyUid(), u1.studyUid(), u2.studyUid());
        JsonNode overdue = worklistItem(old.studyUid());
        assertThat(overdue.path("overdue").asBoolean()).isTrue();
        assertThat(overdue.path("jmsPriority").asInt()).isEqualTo(8);
        assertThat(overdue.path("score").asDouble()).isBetween(100.0, 101.0);
        assertThat(overdue.path("decision").path("score").asDouble()).as("the stored score is from when it was triaged")
                .isLessThan(1.0);
        assertThat(codes(overdue)).contains("overdue").doesNotContain("waiting");
        assertThat(worklistItem(u1.studyUid()).path("score").asDouble()).isBetween(40.0, 46.0);
        // The filters: urgent only, and a state.
        assertThat(uids(get("/api/worklist?urgency=URGENT&state=TRIAGED&limit=1000"))).contains(u1.studyUid(), u2.studyUid())
                .doesNotContain(old.studyUid());
    }

    @Test
    void theSameTriageMessageDeliveredAgainChangesNothingAndSendsNothingNew() throws Exception {
        long dlqBefore = engine.broker().depth(Stage.TRIAGE.deadLetterQueue());
        PhantomStudy mr = TriageStudies.mrBrain(folder.resolve("again"), placer(), "MRN-D1");
        orders(List.of(mr), "MRBRN", "A", "^Headache for 3 weeks");
        store("STM_MR1", mr.files());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(mr));
        route.drain();
        assertThat(route.forStudy(mr.studyUid())).hasSize(1);
        Study triaged = study(mr.studyUid());

        // The same message again, twice, as a redelivery would bring it (no duplicate id of its own).
        String again = new StageMessage("study", mr.studyUid(), "st-marys", "completed").toJson();
        sendRaw(Stage.TRIAGE.queue(), again);
        sendRaw(Stage.TRIAGE.queue(), again);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.broker().depth(Stage.TRIAGE.queue()) == 0);
        // And once straight into the stage, as after a failed JMS commit that followed the database commit.
        TriageStage stage = engine.camel().getRegistry().lookupByNameAndType("studyTriageStage", TriageStage.class);
        assertThat(stage.onStageMessage(again)).isEqualTo(TriageStage.Outcome.ALREADY_TRIAGED);

        assertThat(decisions(mr.studyUid())).as("one decision per completion").hasSize(1);
        assertThat(audits(mr.studyUid(), "triaged")).hasSize(1);
        Study now = study(mr.studyUid());
        assertThat(now.getState()).isEqualTo(Study.State.TRIAGED);
        assertThat(now.getUpdatedAt()).isEqualTo(triaged.getUpdatedAt());
        route.drain();
        assertThat(route.forStudy(mr.studyUid())).as("the broker dropped the repeated hand-offs").hasSize(1);
        assertThat(engine.broker().depth(Stage.TRIAGE.deadLetterQueue())).as("no redelivery ended as a dead letter")
                .isEqualTo(dlqBefore);
    }

    @Test
    void aMessageForNoStudyIsRedeliveredThenParkedAndTheNextStudyIsStillTriaged() throws Exception {
        long dlqBefore = engine.broker().depth(Stage.TRIAGE.deadLetterQueue());
        sendRaw(Stage.TRIAGE.queue(), "{not a stage message");
        sendRaw(Stage.TRIAGE.queue(), new StageMessage("study", "2.25.1234567890", "st-marys", "completed").toJson());
        PhantomStudy mr = TriageStudies.mrBrain(folder.resolve("next"), placer(), "MRN-X1");
        orders(List.of(mr), "MRBRN", "R", "^Headache for 3 weeks");
        store("STM_MR1", mr.files());
        clock.advance(PAST_QUIET);
        awaitTriaged(List.of(mr));
        // Test settings: 100 ms first redelivery delay, doubling, 6 attempts.
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.broker().depth(Stage.TRIAGE.deadLetterQueue()) == dlqBefore + 2);
    }

    @Test
    void badWorklistAndModelRequestsAreRefusedWithTheReason() throws Exception {
        HttpResponse<String> badUrgency = request("/api/worklist?urgency=soon", true);
        assertThat(badUrgency.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badUrgency.body()).path("reason").asText()).contains("'urgency'").contains("CRITICAL");
        HttpResponse<String> unknown = request("/api/worklist?priority=1", true);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("reason").asText()).contains("unknown query parameter 'priority'");
        assertThat(request("/api/worklist?limit=0", true).statusCode()).isEqualTo(400);
        assertThat(request("/api/worklist?state=SENT", true).statusCode()).isEqualTo(400);
        assertThat(request("/api/models?all=true", true).statusCode()).isEqualTo(400);
        assertThat(request("/api/worklist", false).statusCode()).isEqualTo(401);
        assertThat(request("/api/models", false).statusCode()).isEqualTo(401);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A CT head phantom without a bleed that the demonstration model also reads as normal. The small
     * test build of that model flags about one normal phantom series in five (see the report: it is
     * a demonstration model); this test is about the stage, so it is given studies the model gets right.
     */
    private static PhantomStudy normalCtHead(Path dir, long fromSeed, String mrn, Map<AttributeTag, String> overrides)
            throws Exception {
        ModelRegistry models = engine.models();
        ModelSpec demo = models.spec(DemoModelBuilder.CT_HEAD_BLEED).orElseThrow();
        for (long seed = fromSeed; ; seed++) {
            PhantomStudy ct = TriageStudies.ctHead(dir.resolve("s" + seed), seed, 6, false, placer(), mrn, overrides);
            if (new ModelRunner(models).run(demo, ct.files()).findings().isEmpty()) return ct;
        }
    }

    private static String placer() {
        return String.format("TRG%05d", PLACERS.incrementAndGet());
    }

    /** Each study's order over MLLP, acknowledged AA before the images are sent. */
    private static void orders(List<PhantomStudy> studies, String code, String priority, String reason) throws IOException {
        try (MllpTestClient mllp = new MllpTestClient("127.0.0.1", Integer.parseInt(settings.getProperty("radloop.hl7.port")))) {
            for (PhantomStudy s : studies) {
                String ack = mllp.send(TriageStudies.order(s, code, priority, reason));
                assertThat(MllpTestClient.field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            }
        }
    }

    /** C-STORE to the engine's SCP with RadLoop's own DICOM SCU (the dicom: component), one association. */
    private static void store(String callingAe, List<Path> files) {
        Exchange done = engine.camel().createProducerTemplate().request("dicom:store?aeTitle=" + callingAe
                + "&remoteAeTitle=RADLOOP&remoteHost=127.0.0.1&remotePort=" + settings.getProperty("radloop.dicom.port"),
                e -> e.getIn().setHeader(DicomConstants.FILES, files));
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(DicomConstants.COMPLETED)).isEqualTo(files.size());
    }

    private static void awaitTriaged(List<PhantomStudy> studies) {
        List<String> uids = studies.stream().map(PhantomStudy::studyUid).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.store().fromTransaction(s -> s.createQuery(
                        "select count(*) from Study where studyInstanceUid in :u and state = :st", Long.class)
                .setParameter("u", uids).setParameter("st", Study.State.TRIAGED).uniqueResult()) == uids.size());
    }

    private static void sendRaw(String queue, String body) throws Exception {
        try (ActiveMQConnectionFactory f = new ActiveMQConnectionFactory("vm://0"); Connection c = f.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.send(s.createTextMessage(body));
        }
    }

    private static Study study(String uid) {
        return engine.store().fromTransaction(s -> s.createQuery("from Study where studyInstanceUid = :u", Study.class)
                .setParameter("u", uid).uniqueResult());
    }

    private static List<TriageRecord> decisions(String uid) {
        return engine.store().fromTransaction(s -> s.createQuery("from TriageRecord where studyUid = :u order by id",
                TriageRecord.class).setParameter("u", uid).list());
    }

    private static TriageRecord decision(String uid) {
        List<TriageRecord> all = decisions(uid);
        assertThat(all).as("decisions of " + uid).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static List<AiFinding> findings(String uid) {
        return engine.store().fromTransaction(s -> s.createQuery("from AiFinding where studyUid = :u order by id",
                AiFinding.class).setParameter("u", uid).list());
    }

    private static List<AuditEvent> audits(String uid, String action) {
        return engine.store().fromTransaction(s -> s.createQuery("from AuditEvent where entityId = :u and action = :a",
                AuditEvent.class).setParameter("u", uid).setParameter("a", action).list());
    }

    private static HttpResponse<String> request(String path, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.getProperty("radloop.http.port") + path));
        if (withToken) b.header("Authorization", "Bearer " + settings.getProperty("radloop.api.token"));
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = request(path, true);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode worklistItem(String uid) throws Exception {
        for (JsonNode item : get("/api/worklist?limit=1000").path("items")) {
            if (item.path("studyInstanceUid").asText().equals(uid)) return item;
        }
        throw new AssertionError("study " + uid + " is not in the worklist");
    }

    private static List<String> uids(JsonNode worklist) {
        return StreamSupport.stream(worklist.path("items").spliterator(), false)
                .map(i -> i.path("studyInstanceUid").asText()).toList();
    }

    private static List<String> codes(JsonNode item) {
        return StreamSupport.stream(item.path("reasons").spliterator(), false).map(r -> r.path("code").asText()).toList();
    }

    private static List<String> texts(JsonNode item) {
        return StreamSupport.stream(item.path("reasons").spliterator(), false).map(r -> r.path("text").asText()).toList();
    }

    private static JsonNode model(JsonNode models, String id) {
        for (JsonNode m : models.path("models")) if (m.path("id").asText().equals(id)) return m;
        return JSON.missingNode();
    }

}
