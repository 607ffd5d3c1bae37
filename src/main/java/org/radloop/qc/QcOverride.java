package org.radloop.qc;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.radloop.model.AuditEvent;
import org.radloop.model.QcResultRecord;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.radloop.model.Refusal;
import org.radloop.model.Report;
import org.radloop.model.ReportVersion;
import org.radloop.model.Store;

/**
 * Releases a blocked report to delivery on a person's word: {@code POST /api/reports/{id}/qc-override}
 * with who and why. The reason is required and kept on the QC result and in the audit trail. Only
 * the blocked version can be released: once the radiologist has edited the draft, the override is
 * refused (they sign the corrected version instead). Repeating an override that went through
 * releases nothing twice (see {@link QcRelease}).
 */
public final class QcOverride {

    private final Store store;
    private final QcRelease release;
    private final Clock clock;

    QcOverride(Store store, QcRelease release, Clock clock) {
        this.store = store;
        this.release = release;
        this.clock = clock;
    }

    /** @return the QC result as now recorded */
    public Map<String, Object> override(long reportId, String by, String reason) {
        if (by == null || by.isBlank()) throw new Refusal(Refusal.Kind.BAD_REQUEST, "'by' is required: who overrides the QC block");
        if (reason == null || reason.isBlank()) {
            throw new Refusal(Refusal.Kind.BAD_REQUEST, "'reason' is required: say why the blocked report may be delivered");
        }
        long qcId = store.fromTransaction(s -> {
            Report r = s.find(Report.class, reportId);
            if (r == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "no report " + reportId);
            QcResultRecord q = s.createSelectionQuery("from QcResultRecord where reportId = :r order by reportVersion desc",
                    QcResultRecord.class).setParameter("r", reportId).setMaxResults(1).uniqueResult();
            if (q == null) throw new Refusal(Refusal.Kind.CONFLICT, "report " + reportId + " has not been through QC");
            if (q.getState() == QcResultRecord.State.OVERRIDDEN && q.getReportVersion() == r.getCurrentVersion()) return q.getId();
            if (q.getState() != QcResultRecord.State.BLOCKED) {
                throw new Refusal(Refusal.Kind.CONFLICT, "report " + reportId + " version " + q.getReportVersion()
                        + " is not blocked by QC (" + q.getState() + ")");
            }
            if (q.getReportVersion() != r.getCurrentVersion() || r.getState() != Report.State.DRAFT) {
                throw new Refusal(Refusal.Kind.CONFLICT, "report " + reportId + " was changed after QC blocked version "
                        + q.getReportVersion() + "; sign the corrected version instead");
            }
            Instant now = clock.instant();
            ReportVersion v = s.createSelectionQuery("from ReportVersion where reportId = :r and version = :v", ReportVersion.class)
                    .setParameter("r", reportId).setParameter("v", q.getReportVersion()).uniqueResult();
            q.overridden(by.trim(), reason.trim(), now);
            r.releasedAfterQc(ReportVersion.ADDENDUM.equals(v.getKind()), now);
            ReadingCase c = s.find(ReadingCase.class, r.getCaseId());
            if (c != null) ReaderLoads.follow(s, c, now, () -> c.reported(now));
            s.persist(new AuditEvent(by.trim(), "report.qc-override", "report", reportId,
                    "version " + q.getReportVersion() + " released despite QC block: " + reason.trim()));
            return q.getId();
        });
        release.release(qcId);
        return store.fromTransaction(s -> QcResultView.of(s.find(QcResultRecord.class, qcId)));
    }
}
