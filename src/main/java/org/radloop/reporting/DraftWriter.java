package org.radloop.reporting;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.engine.StageMessage;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.ImagingOrder;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportVersion;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.radloop.model.TriageRecord;
import org.radloop.routing.ProcedureCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report stage's first job (routes/reporting.yaml, queue radloop.report): writes the AI draft,
 * version 0 of a case's report, from its template, the order, the DICOM headers, the patient's prior
 * studies and the AI findings. Idempotent: a case that has a report keeps it.
 */
public final class DraftWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DraftWriter.class);
    static final String AUTHOR = "radloop-ai-draft";

    private final Store store;
    private final TemplateLibrary templates;
    private final ProcedureCatalogue procedures;
    private final Clock clock;

    public DraftWriter(Store store, TemplateLibrary templates, ProcedureCatalogue procedures, Clock clock) {
        this.store = store;
        this.templates = templates;
        this.procedures = procedures;
        this.clock = clock;
    }

    /** A {@code case/routed} message; other kinds are ignored (logged). */
    public void onStageMessage(String json) {
        StageMessage m = StageMessage.fromJson(json);
        if (!"case".equals(m.kind()) || !"routed".equals(m.event())) {
            LOG.warn("Report stage ignores a {}/{} message", m.kind(), m.event());
            return;
        }
        draft(Long.parseLong(m.id()));
    }

    /** @return the report id */
    public long draft(long caseId) {
        return store.fromTransaction(s -> draftIn(s, caseId));
    }

    /** Writes the draft in the caller's transaction (an inbound signed report may need it first). */
    long draftIn(Session s, long caseId) {
        Report existing = s.createSelectionQuery("from Report where caseId = :c", Report.class).setParameter("c", caseId).uniqueResult();
        if (existing != null) return existing.getId();
        ReadingCase c = s.find(ReadingCase.class, caseId);
        if (c == null) throw new IllegalArgumentException("no case " + caseId);
        Instant now = clock.instant();
        Study study = c.getStudyId() == null ? null : s.find(Study.class, c.getStudyId());
        ImagingOrder order = c.getOrderId() == null ? null : s.find(ImagingOrder.class, c.getOrderId());
        ReportTemplate template = chooseTemplate(order, study);
        List<AiFinding> findings = findings(s, c);
        List<Section> sections = sections(s, template, c, study, order, findings);
        Report report = new Report(caseId, c.getFacilityId(), c.getStudyUid(), c.getAccessionNumber(), template.id(), now);
        s.persist(report);
        s.persist(new ReportVersion(report.getId(), 0, ReportVersion.AI_DRAFT, AUTHOR, ReportText.write(sections), now));
        long positives = findings.stream().filter(AiFinding::isPositive).count();
        s.persist(new AuditEvent("reporting", "report.drafted", "report", report.getId(),
                "template " + template.id() + ", " + positives + " positive AI finding(s), case " + caseId));
        LOG.info("Report {} drafted for case {} from template {} ({} positive AI findings)", report.getId(), caseId, template.id(), positives);
        return report.getId();
    }

    ReportTemplate chooseTemplate(ImagingOrder order, Study study) {
        String mapped = order == null ? null : order.getReportTemplate();
        if (mapped == null && order != null) mapped = procedures.byId(order.getProcedureId()).map(ProcedureCatalogue.Procedure::template).orElse(null);
        String modality = order != null && order.getModality() != null ? order.getModality()
                : study == null || study.getModalities().isEmpty() ? null : study.getModalities().iterator().next();
        String bodyPart = order != null && order.getBodyPart() != null ? order.getBodyPart() : study == null ? null : study.getBodyPart();
        return templates.choose(mapped, modality, bodyPart);
    }

    /** The AI findings of the decision the case was routed on (the latest triage decision otherwise). */
    public static List<AiFinding> findings(Session s, ReadingCase c) {
        Long decision = c.getTriageId();
        if (decision == null) {
            TriageRecord latest = s.createSelectionQuery("from TriageRecord where studyUid = :u order by decidedAt desc, id desc", TriageRecord.class)
                    .setParameter("u", c.getStudyUid()).setMaxResults(1).uniqueResult();
            if (latest == null) return List.of();
            decision = latest.getId();
        }
        return s.createSelectionQuery("from AiFinding where decisionId = :d order by id", AiFinding.class).setParameter("d", decision).list();
    }

    private List<Section> sections(Session s, ReportTemplate t, ReadingCase c, Study study, ImagingOrder order, List<AiFinding> findings) {
        List<Section> out = new ArrayList<>();
        out.add(new Section("history", "Clinical history", history(order), "order"));
        out.add(new Section("technique", "Technique", t.technique() + " " + TechniqueFacts.describe(s, study), "dicom"));
        out.add(new Section("comparison", "Comparison", comparison(s, c, study), "priors"));
        Map<ReportTemplate.Organ, List<String>> byOrgan = new LinkedHashMap<>();
        List<AiFinding> positives = findings.stream().filter(AiFinding::isPositive).toList();
        for (AiFinding f : positives) {
            ReportTemplate.Organ organ = t.organFor(f.getFindingCode(), f.getLabel());
            byOrgan.computeIfAbsent(organ, o -> new ArrayList<>()).add(FindingSentences.sentence(f, organ));
        }
        for (ReportTemplate.Organ organ : t.organs()) {
            List<String> sentences = byOrgan.get(organ);
            out.add(sentences == null
                    ? new Section("findings." + organ.id(), organ.title(), organ.normal(), Section.TEMPLATE)
                    : new Section("findings." + organ.id(), organ.title(), String.join(" ", sentences), "ai"));
        }
        String impression = FindingSentences.impression(positives);
        out.add(impression == null ? new Section("impression", "Impression", t.impressionNormal(), Section.TEMPLATE)
                : new Section("impression", "Impression", impression, "ai"));
        return out;
    }

    private static String history(ImagingOrder order) {
        if (order == null) return "No order received.";
        StringBuilder b = new StringBuilder();
        b.append("Indication: ").append(order.getReasonForExam() == null ? "not given on the request" : order.getReasonForExam()).append('.');
        if (order.getDiagnosisCodes() != null) b.append(" Diagnosis codes: ").append(order.getDiagnosisCodes()).append('.');
        if (order.getProcedureText() != null) b.append(" Requested: ").append(order.getProcedureText()).append('.');
        b.append(" Priority: ").append(order.getPriority()).append('.');
        return b.toString();
    }

    /** The patient's earlier studies with their dates; none recorded yields "None available." */
    private static String comparison(Session s, ReadingCase c, Study study) {
        if (c.getPatientId() == null) return "None available.";
        List<Study> priors = s.createSelectionQuery("from Study where patientId = :p and studyInstanceUid <> :u"
                        + " order by studyDate desc nulls last, id desc", Study.class)
                .setParameter("p", c.getPatientId()).setParameter("u", c.getStudyUid()).setMaxResults(5).list();
        List<String> lines = new ArrayList<>();
        for (Study p : priors) {
            if (study != null && study.getStudyDate() != null && p.getStudyDate() != null && p.getStudyDate().isAfter(study.getStudyDate())) continue;
            String what = p.getDescription() != null ? p.getDescription() : String.join("/", p.getModalities());
            lines.add(what + " of " + (p.getStudyDate() == null ? "unknown date" : p.getStudyDate().format(DateTimeFormatter.ISO_LOCAL_DATE)));
        }
        return lines.isEmpty() ? "None available." : String.join("; ", lines) + ".";
    }
}
