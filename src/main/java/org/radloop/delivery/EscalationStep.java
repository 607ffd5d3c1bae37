package org.radloop.delivery;

import java.time.Duration;
import java.util.Map;

/**
 * One step of a facility's escalation chain: whom it notifies and how long they have to acknowledge.
 *
 * @param role       ordering-clinician, covering-clinician, department-head, radiologist or clinician
 * @param clinician  the named clinician (department head, fallback for covering and radiologist)
 * @param deadlines  per ACR category; a missing category uses the policy's first-step deadline
 */
record EscalationStep(String role, String clinician, Map<Integer, Duration> deadlines) {

    static final String ORDERING = "ordering-clinician";
    static final String COVERING = "covering-clinician";
    static final String HEAD = "department-head";
    static final String RADIOLOGIST = "radiologist";
    static final String NAMED = "clinician";

    Duration deadline(int category, CriticalResultPolicy policy) {
        Duration d = deadlines.get(category);
        return d != null ? d : policy.firstStepDeadline(category);
    }
}
