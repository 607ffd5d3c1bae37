package org.radloop.delivery;

import org.radloop.config.ConfiguredDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.radloop.model.CriticalNotification;
import org.radloop.model.CriticalResultRecord;

/**
 * What a notification says. Enough for the clinician to act (facility, accession, the finding, why
 * they are the one told, by when, the link); no patient name or identifier, because email and SMS
 * leave the hospital's systems.
 */
record NotificationText(String subject, String body, String sms) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    static NotificationText compose(CriticalResultRecord r, CriticalNotification n, FacilityDirectory dir,
                                    String facilityName, String categoryName, Duration within, Instant deadline,
                                    ZoneId zone, String link) {
        String why = switch (n.getStepRole()) {
            case EscalationStep.ORDERING -> "you are the ordering clinician";
            case EscalationStep.COVERING -> "you cover for the ordering clinician" + orderingName(r, dir, false)
                    + ", who has not acknowledged it";
            case EscalationStep.HEAD -> "you are the department head; the ordering and covering clinicians have not acknowledged it";
            case EscalationStep.RADIOLOGIST -> "you signed the report and nobody has acknowledged it yet: please telephone"
                    + orderingName(r, dir, true) + " and acknowledge when they have it";
            default -> "nobody earlier in the escalation chain has acknowledged it";
        };
        String accession = r.getAccessionNumber() == null ? "(none)" : r.getAccessionNumber();
        String subject = "Critical result, ACR category " + r.getCategory() + ": acknowledgement needed within "
                + ConfiguredDuration.describe(within);
        String body = facilityName + ": a critical result needs your acknowledgement.\n\n"
                + "Category:  ACR " + r.getCategory() + " (" + categoryName + ")\n"
                + "Accession: " + accession + "\n"
                + "Finding:   " + r.getFinding() + "\n\n"
                + "You receive this because " + why + ".\n"
                + "Please acknowledge by " + TIME.format(deadline.atZone(zone)) + " (within " + ConfiguredDuration.describe(within)
                + "); otherwise it is escalated to the next person of the facility's chain.\n\n"
                + "Acknowledge (this link works once): " + link + "\n\n"
                + "RadLoop critical result " + r.getId() + ", notification " + n.getId() + ".\n";
        String finding = r.getFinding().length() <= 80 ? r.getFinding() : r.getFinding().substring(0, 77) + "...";
        String sms = "CRITICAL result ACR " + r.getCategory() + " " + facilityName + " acc " + accession + ": " + finding
                + (EscalationStep.RADIOLOGIST.equals(n.getStepRole()) ? " Please phone" + orderingName(r, dir, true) + "." : "")
                + " Acknowledge within " + ConfiguredDuration.describe(within) + ": " + link;
        return new NotificationText(subject, body, sms);
    }

    private static String orderingName(CriticalResultRecord r, FacilityDirectory dir, boolean withPhone) {
        Clinician c = r.getOrderingClinician() == null ? null : dir.clinicians().get(r.getOrderingClinician());
        if (c == null) return r.getOrderingClinician() == null ? " the ordering clinician" : " the ordering clinician (" + r.getOrderingClinician() + ")";
        return " " + c.name() + (withPhone && c.phone() != null ? " (" + c.phone() + ")" : "");
    }

    /**
     * An on-call page about a critical case no radiologist qualifies for. The same bounds as a
     * critical result's message: facility, accession, the procedure and what is needed, why this
     * person is paged, by when, how to take it; no patient name or identifier.
     */
    static NotificationText onCall(OnCallPager.Page p, String facilityName, ZoneId zone) {
        String accession = p.accession() == null ? "(none)" : p.accession();
        String exam = p.procedure() == null ? p.subspecialty() : p.procedure() + " (" + p.subspecialty() + ")";
        String within = ConfiguredDuration.describe(p.answerWithin());
        String why = p.step() == 0 ? "you are first on call"
                : "you are next on call: " + p.previous() + " did not take it within " + within;
        String subject = "Critical case waiting, no radiologist available: please claim it within " + within;
        String body = facilityName + ": a critical case has no qualified radiologist on shift and waits at the top of the queue.\n\n"
                + "Case:      " + p.caseId() + "\n"
                + "Accession: " + accession + "\n"
                + "Exam:      " + exam + "\n"
                + "Urgency:   CRITICAL\n\n"
                + "You receive this because " + why + " (on-call " + (p.step() + 1) + " of " + p.chainLength() + ").\n"
                + "Please claim the case by " + TIME.format(p.answerBy().atZone(zone)) + " (within " + within + ")"
                + (p.step() + 1 < p.chainLength() ? "; otherwise the next on call is paged." : ".") + "\n\n"
                + "Claim: POST " + p.claimUrl() + " {\"radiologist\": \"<your id>\"}\n\n"
                + "RadLoop on-call page " + p.pageId() + ".\n";
        String sms = "CRITICAL case waiting, no radiologist: " + facilityName + " acc " + accession + " " + exam
                + ". Claim case " + p.caseId() + " within " + within + " (on-call " + (p.step() + 1) + "/" + p.chainLength() + ")";
        return new NotificationText(subject, body, sms);
    }
}
