package org.radloop.learning;

import java.util.List;
import org.radloop.engine.StageMessage;
import org.radloop.learning.LabelCapture.FindingVerdict;
import org.radloop.model.FindingReview;
import org.radloop.model.Report;
import org.radloop.model.Store;
import org.radloop.model.TrainingLabel.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The improve stage's consumer (routes/improve.yaml): a signed or amended report's verdicts on the
 * AI findings, as the radiologist gave them at sign-off, become training labels through
 * {@link LabelCapture}. Capture replaces a report's labels, so a redelivered message changes nothing.
 */
public final class SignedReportLabels {

    private static final Logger LOG = LoggerFactory.getLogger(SignedReportLabels.class);

    private final Store store;
    private final LabelCapture capture;

    public SignedReportLabels(Store store, LabelCapture capture) {
        this.store = store;
        this.capture = capture;
    }

    public void onStageMessage(String json) {
        StageMessage m = StageMessage.fromJson(json);
        if (!"report".equals(m.kind()) || !("signed".equals(m.event()) || "amended".equals(m.event()))) {
            throw new IllegalArgumentException("the improve stage takes report/signed and report/amended, not "
                    + m.kind() + "/" + m.event());
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
            return new LabelCapture.Signing(report.getFacilityId(), report.getStudyUid(), Long.toString(reportId),
                    report.getSignedBy(), verdicts, List.of(), List.of(), null);
        });
        LabelCapture.Captured captured = capture.record(signing);
        LOG.info("Report {}: {} training label(s) from the radiologist's sign-off", reportId, captured.labels());
    }
}
