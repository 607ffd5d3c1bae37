package org.radloop.qc;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.radloop.engine.StageMessage;
import org.radloop.model.AuditEvent;
import org.radloop.model.QcResultRecord;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.radloop.model.Refusal;
import org.radloop.model.Report;
import org.radloop.model.ReportVersion;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QC stage (routes/qc.yaml): every {@code report/signed} or {@code report/amended} message on
 * radloop.qc has its report's signed version checked by the {@link QcEngine} and its critical findings
 * classified; the result is stored per version (qc_result). PASS and WARN release the version
 * ({@link QcRelease}: critical results opened, {@code report/approved} to radloop.deliver). BLOCK puts
 * the report back on its radiologist's worklist as a draft, with the issues on
 * {@code GET /api/reports/{id}}, until a corrected version is signed or someone overrides the block
 * ({@link QcOverride}).
 *
 * <p>Idempotent: a redelivered message finds the version's result and only repeats the release of an
 * approved one (which changes nothing the second time).
 */
public final class ReportQualityStage {

    private static final Logger LOG = LoggerFactory.getLogger(ReportQualityStage.class);

    private final Store store;
    private final QcEngine engine;
    /** Why there is no engine (a QC file missing or invalid at start), or null. */
    private final String unavailable;
    private final ReviewGatherer gatherer;
    private final QcRelease release;
    private final Clock clock;

    ReportQualityStage(Store store, QcEngine engine, String unavailable, ReviewGatherer gatherer, QcRelease release, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.unavailable = unavailable;
        this.gatherer = gatherer;
        this.release = release;
        this.clock = clock;
    }

    /** A radloop.qc message: check the signed version, store the result, release or block it. */
    public void onStageMessage(String body) {
        StageMessage m;
        try {
            m = StageMessage.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.BAD_REQUEST, e.getMessage());
        }
        if (!"report".equals(m.kind()) || m.id() == null) {
            throw new Refusal(Refusal.Kind.BAD_REQUEST, "radloop.qc takes report messages, not kind '" + m.kind() + "'");
        }
        if (!"signed".equals(m.event()) && !"amended".equals(m.event())) {
            throw new Refusal(Refusal.Kind.BAD_REQUEST, "radloop.qc takes signed or amended reports, not event '" + m.event() + "'");
        }
        long reportId;
        try {
            reportId = Long.parseLong(m.id());
        } catch (NumberFormatException e) {
            throw new Refusal(Refusal.Kind.BAD_REQUEST, "report id '" + m.id() + "' is not a number");
        }
        if (engine == null) throw new IllegalStateException("QC is not configured, report " + reportId + " is held: " + unavailable);
        Long released = store.fromTransaction(s -> {
            Report r = s.find(Report.class, reportId);
            if (r == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "no report " + reportId);
            int version = r.getCurrentVersion();
            QcResultRecord done = s.createSelectionQuery("from QcResultRecord where reportId = :r and reportVersion = :v",
                    QcResultRecord.class).setParameter("r", reportId).setParameter("v", version).uniqueResult();
            if (done != null) return done.isReleased() ? done.getId() : null;
            ReportVersion v = s.createSelectionQuery("from ReportVersion where reportId = :r and version = :v", ReportVersion.class)
                    .setParameter("r", reportId).setParameter("v", version).uniqueResult();
            if (r.getState() == Report.State.DRAFT || v == null
                    || !(ReportVersion.FINAL.equals(v.getKind()) || ReportVersion.ADDENDUM.equals(v.getKind()))) {
                // Edited since the message was sent (e.g. corrected after a block): the next signature brings its own message.
                LOG.info("Report {} version {} is not a signed version; nothing to check", reportId, version);
                return null;
            }
            ReportUnderReview review = gatherer.gather(s, r, v);
            QcResult result = engine.review(review);
            List<CriticalFinding> critical = engine.classifier().classify(review);
            boolean block = result.verdict() == QcVerdict.BLOCK;
            Instant now = clock.instant();
            QcResultRecord q = new QcResultRecord(reportId, version, r.getFacilityId(), result.verdict().name(),
                    block ? QcResultRecord.State.BLOCKED : QcResultRecord.State.APPROVED,
                    QcResultJson.issues(result.issues()), QcResultJson.criticals(critical), now);
            s.persist(q);
            String rules = String.join(", ", result.firedRules());
            if (block) {
                r.returnedByQc(now);
                ReadingCase c = s.find(ReadingCase.class, r.getCaseId());
                if (c != null) ReaderLoads.follow(s, c, now, () -> c.returnedByQc(now));
                s.persist(new AuditEvent("qc", "report.qc-blocked", "report", reportId,
                        "version " + version + " blocked by " + rules + "; back on " + (c == null ? "?" : c.getRadiologistId()) + "'s worklist"));
            } else {
                s.persist(new AuditEvent("qc", "report.qc-approved", "report", reportId,
                        "version " + version + " " + result.verdict() + (rules.isEmpty() ? "" : " (" + rules + ")")));
            }
            s.flush();
            LOG.info("QC of report {} version {}: {} ({} issue(s), {} critical finding(s))", reportId, version,
                    result.verdict(), result.issues().size(), critical.size());
            return block ? null : q.getId();
        });
        if (released != null) release.release(released);
    }
}
