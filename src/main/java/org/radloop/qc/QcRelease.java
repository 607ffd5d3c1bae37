package org.radloop.qc;

import java.util.function.Supplier;
import org.radloop.delivery.CriticalResult;
import org.radloop.delivery.CriticalResultNotifier;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.engine.StageSender;
import org.radloop.model.ImagingOrder;
import org.radloop.model.QcResultRecord;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.Store;

/**
 * What follows a released QC result (approved, or a block overridden), after its commit: a critical
 * result opened for each critical finding the report does not call already known, then
 * {@code report/approved} on radloop.deliver with the case's priority.
 *
 * <p>Both steps are safe to repeat: {@link CriticalResultNotifier#open} finds a result already open
 * for the same report and finding, and the deliver message carries one Artemis duplicate id per
 * report version, so a redelivered QC message or a repeated override opens and delivers nothing twice.
 * The notifications are opened first: a report whose critical finding could not be recorded is not
 * delivered yet (the QC message is redelivered), so it never leaves without its notification.
 */
final class QcRelease {

    private final Store store;
    private final StageSender sender;
    private final Supplier<CriticalResultNotifier> notifier;

    QcRelease(Store store, StageSender sender, Supplier<CriticalResultNotifier> notifier) {
        this.store = store;
        this.sender = sender;
        this.notifier = notifier;
    }

    private record Facts(long reportId, int version, String facility, String accession, String studyUid, String signer,
                         String orderingProvider, int priority, String criticals, boolean overridden) {
    }

    /** Opens the critical results of the released version and sends it to delivery. */
    void release(long qcResultId) {
        Facts f = store.fromTransaction(s -> {
            QcResultRecord q = s.find(QcResultRecord.class, qcResultId);
            if (q == null || !q.isReleased()) throw new IllegalStateException("QC result " + qcResultId + " is not released");
            Report r = s.find(Report.class, q.getReportId());
            ReadingCase c = s.find(ReadingCase.class, r.getCaseId());
            ImagingOrder o = c == null || c.getOrderId() == null ? null : s.find(ImagingOrder.class, c.getOrderId());
            return new Facts(r.getId(), q.getReportVersion(), r.getFacilityId(), r.getAccessionNumber(), r.getStudyUid(),
                    r.getSignedBy(), o == null ? null : o.getOrderingProvider(), c == null ? 4 : c.getJmsPriority(),
                    q.getCriticalFindings(), q.getState() == QcResultRecord.State.OVERRIDDEN);
        });
        var critical = QcResultJson.readCriticals(f.criticals()).stream().filter(x -> !x.known()).toList();
        if (!critical.isEmpty()) {
            CriticalResultNotifier n = notifier.get();
            if (n == null) throw new IllegalStateException("no critical-result notifier (bean 'criticalResultNotifier')");
            for (QcResultJson.Critical x : critical) {
                n.open(new CriticalResult(String.valueOf(f.reportId()), f.facility(), f.accession(), f.studyUid(), x.category(),
                        x.text(), CriticalResult.clinicianId(f.orderingProvider()), f.signer()));
            }
        }
        sender.send(Stage.DELIVER, new StageMessage("report", String.valueOf(f.reportId()), f.facility(), "approved"),
                f.priority(), "qc-approved-" + f.reportId() + "-v" + f.version());
        if (f.overridden()) {
            // A person released it despite QC: the learning loop captures the report again, counting the
            // override it reads back from qc_result.
            sender.send(Stage.IMPROVE, new StageMessage("report", String.valueOf(f.reportId()), f.facility(), "qc-overridden"),
                    f.priority(), "qc-overridden-" + f.reportId() + "-v" + f.version());
        }
    }
}
