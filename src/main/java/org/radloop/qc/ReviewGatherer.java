package org.radloop.qc;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.model.AiFinding;
import org.radloop.model.FindingReview;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportVersion;
import org.radloop.model.Study;
import org.radloop.reporting.DraftWriter;
import org.radloop.reporting.ReportTemplate;
import org.radloop.reporting.ReportText;
import org.radloop.reporting.Section;
import org.radloop.reporting.TemplateLibrary;

/**
 * Gathers what the QC engine reads about one signed version of a report from the store: its text
 * (organ sections joined into one "findings" section, as the rules read it), the template's required
 * sections and normal sentences, the text the radiologist left as the template wrote it, the sides of
 * order, procedure and images, the patient, the prior study dates, the AI findings with the
 * radiologist's verdicts, whether a critical result is already open, and the other patients the
 * radiologist has open (the usual source of text dictated into the wrong report).
 */
final class ReviewGatherer {

    private final TemplateLibrary templates;

    ReviewGatherer(TemplateLibrary templates) {
        this.templates = templates;
    }

    ReportUnderReview gather(Session s, Report report, ReportVersion version) {
        ReportUnderReview.Builder b = ReportUnderReview.builder();
        List<Section> sections = ReportText.read(version.getSections());
        Map<String, StringBuilder> grouped = new LinkedHashMap<>();
        for (Section x : sections) {
            if (x.text() == null) continue;
            grouped.computeIfAbsent(x.group(), k -> new StringBuilder());
            StringBuilder sb = grouped.get(x.group());
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(x.text());
            if (Section.TEMPLATE.equals(x.origin())) b.untouched(x.text());
        }
        grouped.forEach((name, text) -> b.section(name, text.toString()));
        templates.byId(report.getTemplateId()).ifPresent(t -> b.template(template(t)));

        ReadingCase c = s.find(ReadingCase.class, report.getCaseId());
        ImagingOrder order = c == null || c.getOrderId() == null ? null : s.find(ImagingOrder.class, c.getOrderId());
        Study study = c == null || c.getStudyId() == null ? null : s.find(Study.class, c.getStudyId());
        Patient patient = c == null || c.getPatientId() == null ? null : s.find(Patient.class, c.getPatientId());

        b.laterality(order == null ? null : Side.parse(order.getLaterality()),
                order == null ? null : procedureSide(order.getProcedureId()),
                study == null ? null : imageSide(s, study));
        if (order != null) b.procedure(order.getProcedureText() != null ? order.getProcedureText() : order.getProcedureId());
        b.patient(identity(patient, report.getAccessionNumber()));
        if (study != null) {
            b.studyDate(study.getStudyDate());
            for (LocalDate d : priorDates(s, study)) b.prior(d);
        }
        if (c != null) {
            Map<Long, FindingReview> verdicts = new LinkedHashMap<>();
            for (FindingReview f : s.createSelectionQuery("from FindingReview where reportId = :r order by id", FindingReview.class)
                    .setParameter("r", report.getId()).list()) {
                verdicts.put(f.getAiFindingId(), f);
            }
            for (AiFinding f : DraftWriter.findings(s, c)) {
                if (!f.isPositive()) continue;
                FindingReview v = verdicts.get(f.getId());
                ReportUnderReview.Verdict verdict = v == null ? ReportUnderReview.Verdict.NONE
                        : FindingReview.CONFIRMED.equals(v.getVerdict()) ? ReportUnderReview.Verdict.CONFIRMED
                        : ReportUnderReview.Verdict.REJECTED;
                b.ai(new ReportUnderReview.AiReview(f.getLabel(), f.getFindingCode(), f.getFindingText(), f.getProbability(),
                        f.getThreshold(), verdict, v == null ? null : v.getReason()));
            }
            for (ReportUnderReview.PatientIdentity other : otherOpenPatients(s, c)) b.otherOpenStudy(other);
        }
        b.notificationStarted(criticalResultOpened(s, report.getId()));
        return b.build();
    }

    /** Whether a critical-result notification exists for this report (opened for an earlier version). */
    static boolean criticalResultOpened(Session s, long reportId) {
        return !s.createSelectionQuery("select id from CriticalResultRecord where reportId = :r", Long.class)
                .setParameter("r", String.valueOf(reportId)).setMaxResults(1).list().isEmpty();
    }

    private static ReportUnderReview.Template template(ReportTemplate t) {
        List<String> normal = new ArrayList<>();
        if (t.organs() != null) for (ReportTemplate.Organ o : t.organs()) if (o.normal() != null) normal.add(o.normal());
        if (t.impressionNormal() != null) normal.add(t.impressionNormal());
        // Required fields in a template are names only (no pattern to look for), so only sections are checked.
        return new ReportUnderReview.Template(t.id(), t.required() == null ? List.of() : t.required().sections(), List.of(), normal);
    }

    /** The side in a procedure id of mappings/procedures.yaml ("mr-knee-left"). */
    static Side procedureSide(String procedureId) {
        if (procedureId == null) return null;
        int dash = procedureId.lastIndexOf('-');
        return dash < 0 ? null : Side.parse(procedureId.substring(dash + 1));
    }

    /** The side the series carry: one side, both when left and right series are present, else none. */
    private static Side imageSide(Session s, Study study) {
        Set<Side> sides = new LinkedHashSet<>();
        for (String l : s.createSelectionQuery("select laterality from Series where studyId = :s and laterality is not null", String.class)
                .setParameter("s", study.getId()).list()) {
            Side side = Side.parse(l);
            if (side != null) sides.add(side);
        }
        if (sides.isEmpty()) return null;
        if (sides.size() == 1) return sides.iterator().next();
        return Side.BILATERAL;
    }

    private static List<LocalDate> priorDates(Session s, Study study) {
        Set<LocalDate> dates = new LinkedHashSet<>(s.createSelectionQuery(
                        "select studyDate from StudyPrior where studyId = :s and studyDate is not null", LocalDate.class)
                .setParameter("s", study.getId()).list());
        if (study.getPatientId() != null) {
            dates.addAll(s.createSelectionQuery("select studyDate from Study where patientId = :p and id <> :s and studyDate is not null",
                    LocalDate.class).setParameter("p", study.getPatientId()).setParameter("s", study.getId()).list());
        }
        return new ArrayList<>(dates);
    }

    private static ReportUnderReview.PatientIdentity identity(Patient p, String accession) {
        if (p == null) return new ReportUnderReview.PatientIdentity(null, null, null, List.of(), accession);
        return new ReportUnderReview.PatientIdentity(p.getSex(), p.getFamilyName(), p.getGivenName(),
                p.getIdentifier() == null ? List.of() : List.of(p.getIdentifier()), accession);
    }

    /** The patients of the radiologist's other open cases. */
    private static List<ReportUnderReview.PatientIdentity> otherOpenPatients(Session s, ReadingCase c) {
        if (c.getRadiologistId() == null) return List.of();
        List<ReportUnderReview.PatientIdentity> out = new ArrayList<>();
        for (ReadingCase other : s.createSelectionQuery("from ReadingCase where radiologistId = :r and state = :st and id <> :c",
                        ReadingCase.class).setParameter("r", c.getRadiologistId()).setParameter("st", ReadingCase.State.OPENED)
                .setParameter("c", c.getId()).setMaxResults(20).list()) {
            if (other.getPatientId() == null || other.getPatientId().equals(c.getPatientId())) continue;
            Patient p = s.find(Patient.class, other.getPatientId());
            if (p != null) out.add(identity(p, other.getAccessionNumber()));
        }
        return out;
    }
}
