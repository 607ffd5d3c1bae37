package org.radloop.learning;

import java.util.List;
import org.radloop.engine.StageMessage;
import org.radloop.learning.LabelCapture.FindingVerdict;
import org.radloop.model.AddedFinding;
import org.radloop.model.FindingReview;
import org.radloop.model.Report;
import org.radloop.model.Store;
import org.radloop.model.TrainingLabel.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The improve stage's consumer (routes/improve.yaml): a signed or amended report's verdicts on the
 * AI findings and the findings they added that the AI missed, as the radiologist gave them at
 * sign-off, become training labels through
 * {@link LabelCapture}, with the QC blocks a person overrode (report/qc-overridden, from the QC
 * stage) counted beside them; the overrides themselves stay in qc_result ({@link OverriddenQcRules}).
 * Capture replaces a report's labels, so a redelivered message changes nothing.
 */
public final class SignedReportLabels {

    private static final Logger LOG = LoggerFactory.getLogger(SignedReportLabels.class);

    private static final java.util.Set<String> EVENTS = java.util.Set.of("signed", "amended", "qc-overridden");

    private final Store store;
    private final LabelCapture capture;

    public SignedReportLabels(Store store, LabelCapture capture) {
        this.store = store;
        this.capture = capture;
    }

    public void onStageMessage(String json) {
        StageMessage m = StageMessage.fromJson(json);
        if (!"report".equals(m.kind()) || !EVENTS.contains(m.event())) {
            throw new IllegalArgumentException("the improve stage takes report/" + EVENTS + ", not " + m.kind() + "/" + m.event());
        }
        long reportId = Long.parseLong(m.id());
        LabelCapture.Signing signing = store.fromTransaction(s -> {
            Report report = s.find(Report.class, reportId);
            if (report == null) throw new IllegalArgumentException("no report " + reportId);
            List<FindingVerdict> verdicts = s.createSelectionQuery("from FindingReview where reportId = :r", FindingReview.class)
                    .setParameter("r", reportId).getResultList().stream()
                    .map(r -> new FindingVerdict(r.getAiFindingId(),
                            FindingReview.CONFIRMED.equals(r.getVerdict()) ? Verdict.CONFIRMED : Verdict.REJECTED))
                    .toList();
            List<LabelCapture.QcOverrideNote> overrides = OverriddenQcRules.ofReport(s, reportId).stream()
                    .map(o -> new LabelCapture.QcOverrideNote(o.ruleId(), o.reason())).toList();
            List<LabelCapture.MissedFinding> missed = s.createSelectionQuery("from AddedFinding where reportId = :r", AddedFinding.class)
                    .setParameter("r", reportId).getResultList().stream()
                    .map(a -> new LabelCapture.MissedFinding(a.getLabel(), a.getSeriesUid(), a.getSlices(), null))
                    .toList();
            return new LabelCapture.Signing(report.getFacilityId(), report.getStudyUid(), Long.toString(reportId),
                    report.getSignedBy(), verdicts, missed, overrides, null);
        });
        LabelCapture.Captured captured = capture.record(signing);
        LOG.info("Report {}: {} training label(s) and {} QC override(s) from the radiologist's sign-off", reportId,
                captured.labels(), captured.qcOverrides());
    }
}
