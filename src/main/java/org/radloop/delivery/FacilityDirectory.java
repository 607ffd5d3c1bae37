package org.radloop.delivery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.radloop.model.CriticalResultRecord;

/**
 * One facility's clinician directory ({@code conf/directory/<facility>.yaml}): its people, its
 * channels, and the escalation chain.
 */
record FacilityDirectory(String facility, Path file, boolean emailEnabled, String emailFrom, boolean smsEnabled,
                         String smsWebhookUrl, boolean confirmLinks, Map<String, Clinician> clinicians,
                         List<EscalationStep> chain) {

    /** Who a step notifies for this result, or null when nobody is known (the step is then skipped). */
    Clinician recipient(EscalationStep step, CriticalResultRecord result) {
        String id = switch (step.role()) {
            case EscalationStep.ORDERING -> result.getOrderingClinician();
            case EscalationStep.COVERING -> {
                Clinician ordering = result.getOrderingClinician() == null ? null : clinicians.get(result.getOrderingClinician());
                yield ordering != null && ordering.coveredBy() != null ? ordering.coveredBy() : step.clinician();
            }
            case EscalationStep.RADIOLOGIST -> result.getSigningRadiologist() != null
                    && clinicians.containsKey(result.getSigningRadiologist()) ? result.getSigningRadiologist() : step.clinician();
            default -> step.clinician();
        };
        return id == null ? null : clinicians.get(id);
    }
}
