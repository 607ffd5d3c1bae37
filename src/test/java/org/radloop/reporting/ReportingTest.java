package org.radloop.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.ingest.MutableClock;
import org.radloop.model.FindingReview;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportDiff;
import org.radloop.model.ReportVersion;
import org.radloop.model.Study;
import org.radloop.routing.RoutingEngines;
import org.radloop.support.StageQueueWatcher;

/**
 * The report stage in a real engine: the AI draft (version 0) of a bleed study says what the model
 * saw and puts it first in the impression, the template follows the procedure mapping, priors fill
 * the comparison, and review and signing through the API produce versions, a stored diff, a verdict
 * per AI finding and a report/signed message on radloop.qc.
 */
class ReportingTest {

    @TempDir
    static Path folder;
    static RadLoopEngine engine;
    static StageQueueWatcher qc;
    static final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static int n;

    static final RoutingEngines.Finding BLEED = new RoutingEngines.Finding("ct-head-bleed-demo", "bleed", "RADLOOP-DEMO-ICH",
            "Suspected intracranial haemorrhage (demonstration model)", 0.91, 5, "12,13,14");
    static final RoutingEngines.Finding FRACTURE = new RoutingEngines.Finding("skull-demo", "fracture", "DEMO-FRACTURE",
            "Possible skull vault fracture, 8 mm", 0.64, 3, "20");
    static final RoutingEngines.Finding NO_HYDRO = new RoutingEngines.Finding("ct-head-bleed-demo", "hydrocephalus", null, null, 0.05, null, "");

    @BeforeAll
    static void start() throws Exception {
        engine = RoutingEngines.start(RoutingEngines.settings(folder, RoutingEngines.ROSTER), clock);
        qc = new StageQueueWatcher(engine, Stage.QC);
    }

    @AfterAll
    static void stop() throws Exception {
        if (qc != null) qc.close();
        if (engine != null) engine.close();
    }

    record Drafted(String studyUid, ReadingCase readingCase, Report report) {
    }

    static Drafted triagedAndDrafted(String mrn, String procedure, String modality, String bodyPart, String urgency, int priority,
                                     List<RoutingEngines.Finding> findings) {
        String uid = RoutingEngines.triaged(engine, clock, mrn, "ACC-D-" + (++n), procedure, modality, bodyPart, urgency, priority, findings);
        await().atMost(Duration.ofSeconds(15)).until(() -> report(uid) != null);
        return new Drafted(uid, RoutingEngines.caseOf(engine, uid), report(uid));
    }

    static Report report(String studyUid) {
        return engine.store().fromTransaction(s -> s.createQuery("from Report where studyUid = :u", Report.class)
                .setParameter("u", studyUid).uniqueResult());
    }

    static List<Section> sections(long reportId, int version) {
        return sections(engine, reportId, version);
    }

    static List<Section> sections(RadLoopEngine engine, long reportId, int version) {
        return engine.store().fromTransaction(s -> ReportText.read(s.createQuery(
                        "from ReportVersion where reportId = :r and version = :v", ReportVersion.class)
                .setParameter("r", reportId).setParameter("v", version).uniqueResult().getSections()));
    }

    static Section section(List<Section> sections, String id) {
        return sections.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no section " + id));
    }

    @Test
    void theBleedStudysDraftSaysWhatTheModelSawAndPutsTheMostSevereFindingFirstInTheImpression() {
        Drafted d = triagedAndDrafted("MRN-BLEED", "ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9, List.of(FRACTURE, BLEED, NO_HYDRO));
        assertThat(d.report().getTemplateId()).isEqualTo("ct-head-noncontrast");
        assertThat(d.report().getCurrentVersion()).isZero();
        List<Section> v0 = sections(d.report().getId(), 0);
        assertThat(v0).extracting(Section::id).containsExactly("history", "technique", "comparison",
                "findings.brain", "findings.ventricles", "findings.skull", "impression");

        Section brain = section(v0, "findings.brain");
        assertThat(brain.origin()).isEqualTo("ai");
        assertThat(brain.text()).isEqualTo("Suspected intracranial haemorrhage (demonstration model) in the brain parenchyma"
                + " (images 12, 13, 14); no measurement given. AI finding by ct-head-bleed-demo version 1.0.0 (probability 0.91),"
                + " to be confirmed by the radiologist.");
        assertThat(section(v0, "findings.skull").text()).contains("Possible skull vault fracture, 8 mm in the skull and scalp")
                .contains("measuring 8 mm").contains("skull-demo version 1.0.0");
        Section ventricles = section(v0, "findings.ventricles");
        assertThat(ventricles.origin()).as("no finding here: normal template text, marked").isEqualTo(Section.TEMPLATE);
        assertThat(ventricles.text()).startsWith("The ventricles and sulci are of normal size");

        Section impression = section(v0, "impression");
        assertThat(impression.origin()).isEqualTo("ai");
        assertThat(impression.text().split("\n")).containsExactly(
                "1. Suspected intracranial haemorrhage (demonstration model) (severity 5) [AI: ct-head-bleed-demo 1.0.0]",
                "2. Possible skull vault fracture, 8 mm (severity 3) [AI: skull-demo 1.0.0]");

        assertThat(section(v0, "history").text()).contains("Sudden severe headache, ?bleed").contains("Priority: STAT");
        assertThat(section(v0, "technique").text()).startsWith("Axial CT of the head").contains("Modality: CT.").contains("Body part: HEAD.");
        assertThat(section(v0, "comparison").text()).isEqualTo("None available.");
        assertThat(ReportText.plain(null, v0)).contains("[template] The ventricles and sulci");
    }

    @Test
    void theTemplateFollowsTheProcedureMappingAndANormalDraftIsAllTemplateText() {
        Drafted knee = triagedAndDrafted("MRN-KNEE", "mr-knee-left", "MR", "KNEE", "ROUTINE", 4, List.of());
        assertThat(knee.report().getTemplateId()).as("mr-knee-left maps to the mr-knee template").isEqualTo("mr-knee");
        List<Section> v0 = sections(knee.report().getId(), 0);
        assertThat(v0).filteredOn(x -> x.id().startsWith("findings.")).extracting(Section::origin).containsOnly(Section.TEMPLATE);
        assertThat(section(v0, "impression").text()).isEqualTo("No internal derangement of the knee.");

        Drafted chest = triagedAndDrafted("MRN-CXR", "xr-chest", "CR", "CHEST", "ROUTINE", 4, List.of());
        assertThat(chest.report().getTemplateId()).isEqualTo("xr-chest");
        Drafted mammo = triagedAndDrafted("MRN-MG", "mg-screening", "MG", "BREAST", "ROUTINE", 4, List.of());
        assertThat(mammo.report().getTemplateId()).isEqualTo("mg-screening");
    }

    @Test
    void thePatientsPriorStudiesAreTheComparisonWithTheirDates() {
        engine.store().inTransaction(s -> {
            org.radloop.model.Patient p = new org.radloop.model.Patient("st-marys", "MRN-PRIOR", "STMARYS");
            s.persist(p);
            Study prior = new Study("st-marys", "1.2.826.0.1.3680043.10.999.prior." + System.nanoTime(), clock.instant());
            prior.describe("ACC-OLD", "MRN-PRIOR", null, null, null, LocalDate.of(2025, 11, 20), null, "CT HEAD");
            prior.matchOrder(null, p.getId(), clock.instant());
            s.persist(prior);
        });
        Drafted d = triagedAndDrafted("MRN-PRIOR", "ct-head-noncontrast", "CT", "HEAD", "ROUTINE", 4, List.of());
        assertThat(section(sections(d.report().getId(), 0), "comparison").text()).isEqualTo("CT HEAD of 2025-11-20.");
    }

    @Test
    void signingThroughTheApiNeedsAVerdictOnEveryAiFindingAndStoresTheFinalVersionTheDiffAndTellsQc() throws Exception {
        Drafted d = triagedAndDrafted("MRN-SIGN", "ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9, List.of(BLEED, FRACTURE));
        long caseId = d.readingCase().getId();
        String reader = d.readingCase().getRadiologistId();
        assertThat(reader).isIn("neuro-a", "neuro-b");

        JsonNode draft = JSON.readTree(get("/api/cases/" + caseId + "/report?radiologist=" + reader).body());
        assertThat(draft.path("version").asInt()).isZero();
        assertThat(draft.path("versionKind").asText()).isEqualTo("AI_DRAFT");
        assertThat(RoutingEngines.caseOf(engine, d.studyUid()).getState()).as("opening the draft opens the case").isEqualTo(ReadingCase.State.OPENED);
        long bleedId = 0, fractureId = 0;
        for (JsonNode f : draft.path("aiFindings")) {
            if (f.path("label").asText().equals("bleed")) bleedId = f.path("id").asLong();
            if (f.path("label").asText().equals("fracture")) fractureId = f.path("id").asLong();
        }
        assertThat(bleedId).isPositive();
        assertThat(fractureId).isPositive();

        HttpResponse<String> saved = put("/api/cases/" + caseId + "/report", JSON.writeValueAsString(Map.of("author", reader,
                "sections", Map.of("findings.skull", "No skull vault fracture; the lucency is a vascular groove."))));
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(saved.body()).path("version").asInt()).isEqualTo(1);
        assertThat(put("/api/cases/" + caseId + "/report", "{\"author\":\"x\",\"sections\":{\"findings.liver\":\"?\"}}").statusCode())
                .as("unknown section").isEqualTo(400);

        HttpResponse<String> missing = post("/api/cases/" + caseId + "/report/sign", JSON.writeValueAsString(Map.of("radiologist", reader,
                "findings", List.of(Map.of("id", bleedId, "verdict", "confirm")))));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("confirm or reject every AI finding").contains(String.valueOf(fractureId));
        String other = reader.equals("neuro-a") ? "neuro-b" : "neuro-a";
        assertThat(post("/api/cases/" + caseId + "/report/sign", JSON.writeValueAsString(Map.of("radiologist", other,
                "findings", List.of()))).statusCode()).as("not the reader's case").isEqualTo(409);

        assertThat(post("/api/cases/" + caseId + "/report/sign", JSON.writeValueAsString(Map.of("radiologist", reader,
                "findings", List.of(Map.of("id", bleedId, "verdict", "confirm"), Map.of("id", fractureId, "verdict", "reject")),
                "added", List.of(Map.of("slices", List.of(4)))))).statusCode()).as("an added finding without its label").isEqualTo(400);
        HttpResponse<String> signed = post("/api/cases/" + caseId + "/report/sign", JSON.writeValueAsString(Map.of(
                "radiologist", reader,
                "sections", Map.of("impression", "1. Acute intraparenchymal haemorrhage, left frontal lobe. Discussed with the ED."),
                "findings", List.of(Map.of("id", bleedId, "verdict", "confirm"),
                        Map.of("id", fractureId, "verdict", "reject", "reason", "vascular groove")),
                "added", List.of(Map.of("label", "midline-shift", "slices", List.of(4, 5))))));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(signed.body());
        assertThat(body.path("state").asText()).isEqualTo("SIGNED");
        assertThat(body.path("version").asInt()).isEqualTo(2);
        assertThat(body.path("versionKind").asText()).isEqualTo("FINAL");
        long reportId = body.path("id").asLong();

        ReportDiff diff = engine.store().fromTransaction(s -> s.createQuery("from ReportDiff where reportId = :r", ReportDiff.class)
                .setParameter("r", reportId).uniqueResult());
        assertThat(diff.getFromVersion()).isZero();
        assertThat(diff.getToVersion()).isEqualTo(2);
        assertThat(diff.getChangedSections()).isEqualTo(2);
        JsonNode entries = JSON.readTree(diff.getDiff());
        Map<String, String> status = new java.util.HashMap<>();
        for (JsonNode e : entries) status.put(e.path("section").asText(), e.path("status").asText());
        assertThat(status).containsEntry("findings.skull", "changed").containsEntry("impression", "changed")
                .containsEntry("findings.brain", "unchanged").containsEntry("history", "unchanged");

        List<FindingReview> reviews = engine.store().fromTransaction(s -> s.createQuery("from FindingReview where reportId = :r order by aiFindingId",
                FindingReview.class).setParameter("r", reportId).list());
        assertThat(reviews).extracting(FindingReview::getVerdict).containsExactlyInAnyOrder(FindingReview.CONFIRMED, FindingReview.REJECTED);
        assertThat(reviews).filteredOn(r -> r.getVerdict().equals(FindingReview.REJECTED)).extracting(FindingReview::getReason)
                .containsExactly("vascular groove");
        assertThat(RoutingEngines.caseOf(engine, d.studyUid()).getState()).isEqualTo(ReadingCase.State.REPORTED);

        await().atMost(Duration.ofSeconds(10)).until(() -> !qc.about("report", String.valueOf(reportId)).isEmpty());
        StageQueueWatcher.Received toQc = qc.about("report", String.valueOf(reportId)).get(0);
        assertThat(toQc.message()).isEqualTo(new StageMessage("report", String.valueOf(reportId), "st-marys", "signed"));
        assertThat(toQc.priority()).as("the study's priority").isEqualTo(9);

        // The improve stage turns the verdicts into training labels, tied to the model version that found them.
        // A finding the radiologist adds that the AI missed becomes an ADDED_MISSED label.
        await().atMost(Duration.ofSeconds(10)).until(() -> labels(reportId).size() == 3);
        assertThat(labels(reportId)).extracting(l -> l.getLabel() + "=" + l.getVerdict())
                .containsExactlyInAnyOrder("bleed=CONFIRMED", "fracture=REJECTED", "midline-shift=ADDED_MISSED");

        assertThat(post("/api/cases/" + caseId + "/report/sign", "{\"radiologist\":\"" + reader + "\"}").statusCode()).isEqualTo(409);
        HttpResponse<String> addendum = post("/api/reports/" + reportId + "/addendum",
                "{\"radiologist\":\"" + reader + "\",\"text\":\"Repeat CT in 24 hours recommended.\"}");
        assertThat(addendum.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(addendum.body()).path("state").asText()).isEqualTo("AMENDED");
        assertThat(JSON.readTree(addendum.body()).path("version").asInt()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> qc.about("report", String.valueOf(reportId)).size() == 2);
        assertThat(qc.about("report", String.valueOf(reportId)).get(1).message().event()).isEqualTo("amended");

        JsonNode full = JSON.readTree(get("/api/reports/" + reportId).body());
        assertThat(full.path("versions").findValuesAsText("kind")).containsExactly("AI_DRAFT", "EDIT", "FINAL", "ADDENDUM");
        assertThat(full.path("diffs").get(0).path("changedSections").asInt()).isEqualTo(2);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.settings().get("radloop.http.port", null) + path))
                .header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20));
    }

    private List<org.radloop.model.TrainingLabel> labels(long reportId) {
        return engine.store().fromTransaction(s -> s.createQuery("from TrainingLabel where reportId = :r",
                org.radloop.model.TrainingLabel.class).setParameter("r", String.valueOf(reportId)).list());
    }
}
