package org.radloop.routing;

import java.time.Instant;
import java.util.Set;

/**
 * What one case asks of its reader, everything the decision looks at and nothing else.
 *
 * @param jurisdiction     where the facility is (its readers must be licensed there); null when the facility file sets none
 * @param waitingSince     when the case (last) joined the shared queue: a general radiologist may cover after a wait
 * @param passedOver       readers it timed out with: not offered to them again
 * @param priorReaders     readers who reported the patient's earlier studies (continuity)
 */
public record CaseNeeds(long caseId, String facilityId, String jurisdiction, String subspecialty, String urgency,
                        double rvu, Instant deadline, Instant waitingSince, String orderingProvider,
                        Set<String> passedOver, Set<String> priorReaders) {

    public static final String CRITICAL = "CRITICAL";

    public boolean isCritical() {
        return CRITICAL.equalsIgnoreCase(urgency);
    }
}
