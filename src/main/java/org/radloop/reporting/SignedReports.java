package org.radloop.reporting;

import java.time.Instant;
import java.util.List;
import org.hibernate.Session;
import org.radloop.engine.Stage;
import org.radloop.model.AuditEvent;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportDiff;
import org.radloop.model.ReportVersion;
import org.radloop.model.StageOutboxEntry;

/**
 * What signing does, however the report was signed (API or ORU^R01): the final version, the diff
 * against the AI draft, the case reported, and the {@code report/signed} messages for QC and for the
 * learning loop (radloop.improve, where the radiologist's verdicts on the AI findings become training
 * labels), all in the caller's transaction. An addendum adds its version and {@code report/amended}
 * messages.
 */
final class SignedReports {

    private SignedReports() {
    }

    static List<StageOutboxEntry> sign(Session s, Report report, List<Section> finalSections, String signer, String via, Instant now) {
        int version = report.nextVersion(now);
        s.persist(new ReportVersion(report.getId(), version, ReportVersion.FINAL, signer, ReportText.write(finalSections), now));
        ReportVersion draft = version(s, report.getId(), 0);
        List<SectionDiff.Entry> diff = SectionDiff.between(ReportText.read(draft.getSections()), finalSections);
        s.persist(new ReportDiff(report.getId(), 0, version, SectionDiff.changed(diff), writeDiff(diff), now));
        report.signed(version, signer, via, now);
        ReadingCase c = s.find(ReadingCase.class, report.getCaseId());
        ReaderLoads.follow(s, c, now, () -> c.reported(now));
        s.persist(new AuditEvent(signer, "report.signed", "report", report.getId(),
                "version " + version + " via " + via + ", " + SectionDiff.changed(diff) + " section(s) differ from the AI draft"));
        return toNextStages(s, report, c, "signed");
    }

    static List<StageOutboxEntry> addendum(Session s, Report report, String text, String author, Instant now) {
        ReportVersion last = version(s, report.getId(), report.getCurrentVersion());
        List<Section> sections = ReportText.read(last.getSections());
        int n = 1;
        for (Section x : sections) if (x.id().startsWith("addendum")) n++;
        sections.add(new Section(n == 1 ? "addendum" : "addendum-" + n, "Addendum", text, "radiologist"));
        int version = report.nextVersion(now);
        s.persist(new ReportVersion(report.getId(), version, ReportVersion.ADDENDUM, author, ReportText.write(sections), now));
        report.amended(now);
        s.persist(new AuditEvent(author, "report.amended", "report", report.getId(), "addendum as version " + version));
        return toNextStages(s, report, s.find(ReadingCase.class, report.getCaseId()), "amended");
    }

    static ReportVersion version(Session s, long reportId, int version) {
        return s.createSelectionQuery("from ReportVersion where reportId = :r and version = :v", ReportVersion.class)
                .setParameter("r", reportId).setParameter("v", version).uniqueResult();
    }

    private static List<StageOutboxEntry> toNextStages(Session s, Report report, ReadingCase c, String event) {
        int priority = c == null ? 4 : c.getJmsPriority();
        List<StageOutboxEntry> out = List.of(
                new StageOutboxEntry(Stage.QC.queue(), "report", report.getId(), report.getFacilityId(), event, priority),
                new StageOutboxEntry(Stage.IMPROVE.queue(), "report", report.getId(), report.getFacilityId(), event, priority));
        out.forEach(s::persist);
        return out;
    }

    private static String writeDiff(List<SectionDiff.Entry> diff) {
        try {
            return ReportText.JSON.writeValueAsString(diff);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
