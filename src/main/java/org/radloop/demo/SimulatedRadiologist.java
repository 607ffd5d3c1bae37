package org.radloop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A radiologist on shift: polls their worklist, opens the case at the top (most urgent first, as
 * RadLoop orders it), reads for a simulated reading time, corrects the AI draft as a careful reader
 * would (confirms a true flag, rejects a false positive as an artefact, writes a finding the AI missed
 * into the findings and impression) and signs through the API with a verdict for every AI finding.
 * The phantom's truth stands in for the radiologist's eyes.
 */
final class SimulatedRadiologist implements Runnable {

    private final DemoReader reader;
    private final DemoApi api;
    private final Function<String, DemoStudy> byAccession;
    private final DemoClock clock;
    private final Random random;
    private volatile boolean stopped;

    SimulatedRadiologist(DemoReader reader, DemoApi api, Function<String, DemoStudy> byAccession, DemoClock clock, long seed) {
        this.reader = reader;
        this.api = api;
        this.byAccession = byAccession;
        this.clock = clock;
        this.random = new Random(seed);
    }

    String id() {
        return reader.id();
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                if (!readNext()) Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("[demo] " + reader.id() + ": " + e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Reads and signs the top case of the worklist; false when there was none ready. */
    private boolean readNext() throws Exception {
        DemoApi.Answer list = api.get("/api/radiologists/" + reader.id() + "/worklist");
        if (!list.ok()) return false;
        for (JsonNode c : list.body().path("cases")) {
            DemoStudy study = byAccession.apply(c.path("accession").asText());
            if (study == null) continue;
            long caseId = c.path("id").asLong();
            Instant opened = Instant.now();
            DemoApi.Answer draft = api.get("/api/cases/" + caseId + "/report?radiologist=" + reader.id());
            if (draft.status() == 404) continue; // the draft is being written; the next case, or the next poll
            if (!draft.ok()) continue;
            JsonNode qc = draft.body().path("qc");
            if (qc.isArray() && qc.size() > 0 && "BLOCKED".equals(qc.get(0).path("state").asText()) && study.signedAt != null) {
                overrideBlock(study, draft.body(), qc.get(0));
                return true;
            }
            study.caseId = caseId;
            study.readStartedAt = opened;
            study.reader = reader.id();
            study.urgency = c.path("urgency").asText(null);
            if (study.assignedAt == null) study.assignedAt = parse(c.path("assignedAt").asText(null));
            double minutes = readingMinutes(study);
            study.readingMinutes = minutes;
            clock.sleepSimulatedMinutes(minutes);
            sign(study, caseId, draft.body());
            return true;
        }
        return false;
    }

    private double readingMinutes(DemoStudy s) {
        double base = s.kind() == DemoStudy.Kind.CT_HEAD ? reader.minutesPerCtHead() : reader.minutesPerChest();
        // An abnormal study takes longer (measurements, a phone call); +/-25 % from case to case.
        return base * (s.abnormal() ? 1.4 : 1.0) * (0.75 + 0.5 * random.nextDouble());
    }

    private void sign(DemoStudy study, long caseId, JsonNode report) throws Exception {
        List<Map<String, Object>> verdicts = new ArrayList<>();
        boolean flagged = false;
        for (JsonNode f : report.path("aiFindings")) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", f.path("id").asLong());
            boolean ofThisFinding = study.kind().findingLabel().equals(f.path("label").asText());
            if (ofThisFinding && study.abnormal()) {
                v.put("verdict", "confirm");
                study.aiConfirmed++;
                flagged = true;
            } else {
                v.put("verdict", "reject");
                v.put("reason", "artefact, not seen on review");
                study.aiRejected++;
            }
            verdicts.add(v);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("radiologist", reader.id());
        body.put("sections", sections(study, report, flagged));
        body.put("findings", verdicts);
        if (study.abnormal() && !flagged && study.seriesUid != null) {
            // The finding the AI missed, added with the sign-off: the phantom bleed crosses the middle
            // slices of the 8-slice series; a radiograph is one image.
            body.put("added", List.of(Map.of("label", study.kind().findingLabel(), "seriesUid", study.seriesUid,
                    "slices", study.kind() == DemoStudy.Kind.CT_HEAD ? List.of(3, 4, 5, 6) : List.of())));
        }
        DemoApi.Answer signed = api.post("/api/cases/" + caseId + "/report/sign", body);
        if (!signed.ok()) throw new IllegalStateException("signing case " + caseId + " refused (" + signed.status() + "): "
                + signed.body().path("reason").asText(signed.body().toString()));
        if (study.abnormal() && !flagged) study.aiMissedAdded++;
        study.signedAt = Instant.now();
    }

    /**
     * The corrected text: the impression rewritten, and each findings section that carries an AI
     * sentence the radiologist rejected, or that has to hold a finding the AI missed, rewritten too
     * (a template sentence denying what the impression affirms is what QC blocks).
     */
    private static Map<String, String> sections(DemoStudy study, JsonNode report, boolean flagged) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> findingSections = new ArrayList<>();
        for (JsonNode sec : report.path("sections")) {
            String id = sec.path("id").asText();
            if (id.startsWith("findings")) findingSections.add(id);
        }
        boolean ct = study.kind() == DemoStudy.Kind.CT_HEAD;
        String home = findingSections.stream().filter(id -> ct ? id.contains("brain") : id.contains("pleura") || id.contains("lung"))
                .findFirst().orElse(findingSections.isEmpty() ? null : findingSections.get(0));
        for (JsonNode sec : report.path("sections")) {
            String id = sec.path("id").asText();
            if (!id.startsWith("findings")) continue;
            boolean aiText = sec.path("origin").asText().equals("ai");
            if (id.equals(home) && study.abnormal() && !flagged) {
                out.put(id, ct ? "Acute intraparenchymal haemorrhage in the right hemisphere, about 15 mm, with mild surrounding oedema."
                        : "Right apical pneumothorax with a visible pleural line, no mediastinal shift.");
            } else if (aiText && !(study.abnormal() && flagged)) {
                out.put(id, ct ? "No intracranial haemorrhage, mass effect or midline shift." : "No pneumothorax. The lungs are clear.");
            } else if (study.abnormal() && !id.equals(home) && sec.path("text").asText().toLowerCase(java.util.Locale.ROOT)
                    .matches(".*\\b(no|clear|normal|unremarkable)\\b.*")) {
                out.put(id, "Unremarkable apart from the finding above.");
            }
        }
        out.put("impression", impression(study, flagged));
        return out;
    }

    /** A report QC blocked comes back to the worklist: the radiologist reviews the issue and overrides it with a reason. */
    private void overrideBlock(DemoStudy study, JsonNode report, JsonNode qc) throws Exception {
        String rules = qc.path("issues").findValuesAsText("rule").toString();
        DemoApi.Answer r = api.post("/api/reports/" + report.path("id").asLong() + "/qc-override",
                Map.of("by", reader.id(), "reason", "Reviewed " + rules + " after the block: the wording is intended."));
        if (!r.ok()) throw new IllegalStateException("QC override of report " + report.path("id").asLong() + " refused ("
                + r.status() + "): " + r.body().path("reason").asText(r.body().toString()));
        study.qcOverrides++;
    }

    private static String impression(DemoStudy s, boolean flagged) {
        if (s.kind() == DemoStudy.Kind.CT_HEAD) {
            if (!s.abnormal()) return "1. No acute intracranial abnormality.";
            return flagged ? "1. Acute intraparenchymal haemorrhage, confirmed. Critical result: referring clinician informed."
                    : "1. Acute intraparenchymal haemorrhage, not flagged by the AI (missed finding added by the radiologist)."
                    + " Critical result: referring clinician informed.";
        }
        if (!s.abnormal()) return "1. No pneumothorax. Clear lungs.";
        return flagged ? "1. Right pneumothorax, confirmed. Critical result: referring clinician informed."
                : "1. Right pneumothorax, not flagged by the AI (missed finding added by the radiologist)."
                + " Critical result: referring clinician informed.";
    }

    private static Instant parse(String s) {
        try {
            return s == null || s.isBlank() || s.equals("null") ? null : Instant.parse(s);
        } catch (Exception e) {
            return null;
        }
    }
}
