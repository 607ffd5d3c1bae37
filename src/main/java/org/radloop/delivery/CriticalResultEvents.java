package org.radloop.delivery;

import java.time.Instant;
import org.hibernate.Session;
import org.radloop.model.AuditEvent;
import org.radloop.model.CriticalResultEvent;

/**
 * Writes one entry of a critical result's timeline together with the general audit event, in the
 * caller's transaction, so that the timeline never claims what did not commit.
 */
final class CriticalResultEvents {

    static final String OPENED = "OPENED";
    static final String NOTIFIED = "STEP_NOTIFIED";
    static final String ESCALATED = "ESCALATED";
    static final String REPEATED = "STEP_REPEATED";
    static final String SKIPPED = "STEP_SKIPPED";
    static final String NOBODY = "NOBODY_REACHABLE";
    static final String SENT = "NOTIFICATION_SENT";
    static final String FAILED = "NOTIFICATION_FAILED";
    static final String CANCELLED = "NOTIFICATION_CANCELLED";
    static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    static final String LINK_REFUSED = "LINK_REFUSED";

    private CriticalResultEvents() {
    }

    static void record(Session s, long resultId, Instant at, String kind, Integer step, String actor, String detail) {
        s.persist(new CriticalResultEvent(resultId, at, kind, step, actor, detail));
        s.persist(new AuditEvent(actor, "critical-result." + kind.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                "critical_result", resultId, detail));
    }
}
