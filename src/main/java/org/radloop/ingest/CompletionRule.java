package org.radloop.ingest;

import java.time.Duration;
import java.time.Instant;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Study;

/**
 * When a study that is RECEIVING counts as complete. DICOM has no "end of study" signal, so:
 * <ul>
 *   <li>the facility's quiet period ({@code dicom.studyQuietPeriodSeconds}, else
 *       {@code radloop.study.quiet.period.seconds}) has passed since its last instance; or</li>
 *   <li>its matched order's status is COMPLETED (HL7 order status CM): complete at once, but only
 *       the first time. A study reopened by a late instance waits for the quiet period, or every
 *       late instance would send it to triage again at once.</li>
 * </ul>
 * A new instance after completion reopens the study (RECEIVING again) and it goes round again.
 */
final class CompletionRule {

    private CompletionRule() {
    }

    /** Why the study is complete now, or null when it is not (yet). */
    static String reason(Study study, ImagingOrder.Status orderStatus, Duration quietPeriod, Instant now) {
        if (study.getState() != Study.State.RECEIVING) return null;
        if (!now.isBefore(study.getLastInstanceAt().plus(quietPeriod))) {
            return "no new instance for " + quietPeriod.toSeconds() + " s";
        }
        if (orderSaysComplete(study, orderStatus)) return "order status COMPLETED";
        return null;
    }

    static boolean orderSaysComplete(Study study, ImagingOrder.Status orderStatus) {
        return study.getState() == Study.State.RECEIVING && orderStatus == ImagingOrder.Status.COMPLETED
                && study.getReopenCount() == 0;
    }
}
