package org.radloop.routing;

import java.time.Duration;
import java.time.Instant;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RoutingPolicy;

/**
 * The hard constraints: a reader who fails one never gets the case, whatever their score. Each
 * check returns why it excludes the reader (recorded with the decision), or null when it passes.
 * Capacity is checked last and apart, because a critical case may displace work from a full reader.
 */
final class AssignmentRules {

    /** How every capacity reason begins: the assigner finds the full readers a critical case may displace from by it. */
    static final String FULL = "full: ";

    private AssignmentRules() {
    }

    /** Why the reader cannot take the case at all, or null. */
    static String exclusion(ReaderState reader, CaseNeeds c, Instant now, RoutingPolicy policy) {
        RadiologistConfig r = reader.config();
        if (!reader.onShift()) return "off shift: " + reader.offShiftReason();
        if (!r.privileges().contains(c.facilityId())) return "no privileges at " + c.facilityId();
        if (c.jurisdiction() != null && !r.licences().contains(c.jurisdiction())) return "not licensed in " + c.jurisdiction();
        if (c.passedOver().contains(r.id())) return "did not open it in time before";
        String conflict = r.conflictWith(c.facilityId(), c.orderingProvider());
        if (conflict != null) return conflict;
        if (!r.reads(c.subspecialty())) {
            if (!r.isGeneral()) return "does not read " + c.subspecialty();
            Duration wait = policy.generalCoverAfter(c.urgency());
            Duration waited = Duration.between(c.waitingSince(), now);
            if (waited.compareTo(wait) < 0) {
                return "general cover for " + c.subspecialty() + " only after " + wait.toMinutes() + " min waiting (waited "
                        + Math.max(0, waited.toMinutes()) + ")";
            }
        }
        return null;
    }

    /** Why a reader who passes every other constraint is still too busy, or null. */
    static String capacity(ReaderState reader) {
        if (reader.openCases() >= reader.config().maxOpenCases()) {
            return FULL + reader.openCases() + " open cases of " + reader.config().maxOpenCases();
        }
        if (reader.openRvu() >= reader.config().rvuPerHour()) {
            return FULL + String.format(java.util.Locale.ROOT, "%.2f RVU open, an hour of work at %.1f RVU/h",
                    reader.openRvu(), reader.config().rvuPerHour());
        }
        return null;
    }
}
