package org.radloop.reporting;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.hibernate.Session;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.FindingReview;
import org.radloop.model.ReadingCase;
import org.radloop.model.Refusal;
import org.radloop.model.Report;
import org.radloop.model.ReportVersion;
import org.radloop.model.StageOutboxEntry;
import org.radloop.model.Store;

/**
 * Review and signing through the API: read the current draft, save edits (each save is a new
 * version), sign with an explicit confirm or reject for every positive AI finding, and add an
 * addendum to a signed report.
 */
public final class ReportDesk {

    /** The radiologist's verdict on one AI finding: "confirm" or "reject" (with an optional reason). */
    public record Verdict(long findingId, String verdict, String reason) {
    }

    /** A finding the radiologist adds at sign-off that the AI did not flag: the model label it teaches, and where. */
    public record Added(String label, String seriesUid, List<Integer> slices) {
    }

    private final Store store;
    private final Clock clock;
    private final Consumer<List<StageOutboxEntry>> publisher;

    public ReportDesk(Store store, Clock clock, Consumer<List<StageOutboxEntry>> publisher) {
        this.store = store;
        this.clock = clock;
        this.publisher = publisher;
    }

    /** The report of a case as it now stands: latest version, its sections, the AI findings to review. */
    public Map<String, Object> current(long caseId) {
        return store.fromTransaction(s -> view(s, report(s, caseId)));
    }

    public Map<String, Object> byId(long reportId) {
        return store.fromTransaction(s -> {
            Report r = s.find(Report.class, reportId);
            if (r == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "no report " + reportId);
            Map<String, Object> view = view(s, r);
            view.put("diffs", s.createSelectionQuery("from org.radloop.model.ReportDiff where reportId = :r order by id",
                    org.radloop.model.ReportDiff.class).setParameter("r", reportId).list().stream().map(d -> Map.of(
                    "fromVersion", d.getFromVersion(), "toVersion", d.getToVersion(), "changedSections", d.getChangedSections(),
                    "sections", readJson(d.getDiff()))).toList());
            view.put("versions", s.createSelectionQuery("from ReportVersion where reportId = :r order by version", ReportVersion.class)
                    .setParameter("r", reportId).list().stream().map(v -> Map.of("version", v.getVersion(), "kind", v.getKind(),
                            "author", v.getAuthor(), "at", v.getCreatedAt().toString())).toList());
            view.put("findingReviews", s.createSelectionQuery("from FindingReview where reportId = :r order by id", FindingReview.class)
                    .setParameter("r", reportId).list().stream().map(f -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("findingId", f.getAiFindingId());
                        m.put("verdict", f.getVerdict());
                        m.put("reason", f.getReason());
                        m.put("reviewer", f.getReviewer());
                        return m;
                    }).toList());
            return view;
        });
    }

    /** Saves edited sections as a new version. */
    public Map<String, Object> save(long caseId, String author, Map<String, String> edits) {
        require(author, "author");
        return store.fromTransaction(s -> {
            Report r = report(s, caseId);
            if (r.getState() != Report.State.DRAFT) throw conflict("report " + r.getId() + " is " + r.getState() + "; add an addendum instead");
            List<Section> sections = edited(s, r, edits);
            Instant now = clock.instant();
            int version = r.nextVersion(now);
            s.persist(new ReportVersion(r.getId(), version, ReportVersion.EDIT, author, ReportText.write(sections), now));
            s.persist(new AuditEvent(author, "report.saved", "report", r.getId(), "version " + version + ", " + edits.size() + " section(s) edited"));
            return view(s, r);
        });
    }

    /** Signs the report (the final version), with a verdict on every positive AI finding. */
    public Map<String, Object> sign(long caseId, String signer, Map<String, String> edits, List<Verdict> verdicts) {
        return sign(caseId, signer, edits, verdicts, List.of());
    }

    /** Signs, with the findings the radiologist adds that the AI missed (they become training labels). */
    public Map<String, Object> sign(long caseId, String signer, Map<String, String> edits, List<Verdict> verdicts, List<Added> added) {
        require(signer, "radiologist");
        for (Added a : added) {
            if (a.label() == null || a.label().isBlank()) {
                throw new Refusal(Refusal.Kind.BAD_REQUEST, "each added finding needs the 'label' it teaches");
            }
        }
        List<StageOutboxEntry> out = new ArrayList<>();
        Map<String, Object> result = store.fromTransaction(s -> {
            Report r = report(s, caseId);
            if (r.getState() != Report.State.DRAFT) throw conflict("report " + r.getId() + " is already " + r.getState());
            ReadingCase c = s.find(ReadingCase.class, caseId);
            if (!signer.equals(c.getRadiologistId()) || !c.isOpen()) {
                throw conflict("case " + caseId + " is not on " + signer + "'s worklist; claim it before signing");
            }
            Instant now = clock.instant();
            List<AiFinding> positives = DraftWriter.findings(s, c).stream().filter(AiFinding::isPositive).toList();
            Map<Long, Verdict> byId = new LinkedHashMap<>();
            for (Verdict v : verdicts) {
                String kind = v.verdict() == null ? "" : v.verdict().toLowerCase(Locale.ROOT);
                if (!kind.equals("confirm") && !kind.equals("reject")) {
                    throw new Refusal(Refusal.Kind.BAD_REQUEST, "finding " + v.findingId() + ": verdict must be confirm or reject, not '" + v.verdict() + "'");
                }
                if (positives.stream().noneMatch(f -> f.getId() == v.findingId())) {
                    throw new Refusal(Refusal.Kind.BAD_REQUEST, "finding " + v.findingId() + " is not an AI finding of this report");
                }
                byId.put(v.findingId(), v);
            }
            Set<Long> missing = new HashSet<>();
            for (AiFinding f : positives) if (!byId.containsKey(f.getId())) missing.add(f.getId());
            if (!missing.isEmpty()) {
                throw new Refusal(Refusal.Kind.BAD_REQUEST, "confirm or reject every AI finding before signing; missing: " + missing);
            }
            for (Verdict v : byId.values()) {
                boolean confirm = v.verdict().equalsIgnoreCase("confirm");
                s.persist(new FindingReview(r.getId(), v.findingId(), confirm ? FindingReview.CONFIRMED : FindingReview.REJECTED,
                        confirm ? null : v.reason(), signer, now));
            }
            for (Added a : added) s.persist(new org.radloop.model.AddedFinding(r.getId(), a.label().trim(), a.seriesUid(), a.slices(), signer, now));
            out.addAll(SignedReports.sign(s, r, edited(s, r, edits), signer, "api", now));
            return view(s, r);
        });
        publisher.accept(out);
        return result;
    }

    /** An addendum to a signed report: a new version, and QC hears that the report was amended. */
    public Map<String, Object> addendum(long reportId, String author, String text) {
        require(author, "radiologist");
        require(text, "text");
        List<StageOutboxEntry> out = new ArrayList<>();
        Map<String, Object> result = store.fromTransaction(s -> {
            Report r = s.find(Report.class, reportId);
            if (r == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "no report " + reportId);
            if (r.getState() == Report.State.DRAFT) throw conflict("report " + reportId + " is not signed yet; edit the draft instead");
            out.addAll(SignedReports.addendum(s, r, text, author, clock.instant()));
            return view(s, r);
        });
        publisher.accept(out);
        return result;
    }

    private static List<Section> edited(Session s, Report r, Map<String, String> edits) {
        List<Section> sections = ReportText.read(SignedReports.version(s, r.getId(), r.getCurrentVersion()).getSections());
        Set<String> known = new HashSet<>();
        for (Section x : sections) known.add(x.id());
        for (String id : edits.keySet()) {
            if (!known.contains(id)) throw new Refusal(Refusal.Kind.BAD_REQUEST, "report has no section '" + id + "'; sections: " + known);
        }
        List<Section> out = new ArrayList<>(sections.size());
        for (Section x : sections) {
            String text = edits.get(x.id());
            out.add(text == null ? x : x.withText(text, "radiologist"));
        }
        return out;
    }

    private static Report report(Session s, long caseId) {
        if (s.find(ReadingCase.class, caseId) == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "no case " + caseId);
        Report r = s.createSelectionQuery("from Report where caseId = :c", Report.class).setParameter("c", caseId).uniqueResult();
        if (r == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "case " + caseId + " has no draft yet");
        return r;
    }

    static Map<String, Object> view(Session s, Report r) {
        ReportVersion v = SignedReports.version(s, r.getId(), r.getCurrentVersion());
        List<Section> sections = ReportText.read(v.getSections());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("caseId", r.getCaseId());
        m.put("facility", r.getFacilityId());
        m.put("studyUid", r.getStudyUid());
        m.put("accession", r.getAccessionNumber());
        m.put("template", r.getTemplateId());
        m.put("state", r.getState().name());
        m.put("version", r.getCurrentVersion());
        m.put("versionKind", v.getKind());
        m.put("signedBy", r.getSignedBy());
        m.put("signedVia", r.getSignedVia());
        m.put("sections", sections);
        m.put("text", ReportText.plain(null, sections));
        // The QC results of its signed versions, newest first: a blocked report shows why it came back.
        m.put("qc", org.radloop.qc.QcResultView.forReport(s, r.getId()));
        ReadingCase c = s.find(ReadingCase.class, r.getCaseId());
        m.put("aiFindings", DraftWriter.findings(s, c).stream().filter(AiFinding::isPositive).map(f -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", f.getId());
            x.put("model", f.getModelId() + " " + f.getModelVersion());
            x.put("label", f.getLabel());
            x.put("text", f.getFindingText());
            x.put("probability", f.getProbability());
            x.put("severity", f.getSeverity());
            return x;
        }).toList());
        return m;
    }

    private static Object readJson(String json) {
        try {
            return ReportText.JSON.readTree(json);
        } catch (Exception e) {
            return json;
        }
    }

    private static void require(String v, String name) {
        if (v == null || v.isBlank()) throw new Refusal(Refusal.Kind.BAD_REQUEST, "'" + name + "' is required");
    }

    private static Refusal conflict(String why) {
        return new Refusal(Refusal.Kind.CONFLICT, why);
    }
}
