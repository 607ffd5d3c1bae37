package org.radloop.delivery;

import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;
import org.radloop.model.CriticalNotification;
import org.radloop.model.CriticalResultRecord;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the loop: a clinician acknowledges a critical result with the link of a notification, or
 * someone acknowledges it through the API on a clinician's behalf (e.g. after a phone call). Either
 * way the escalation stops and the notifications not yet sent are cancelled.
 *
 * <p>A link works once, until it expires, and only while the result is open. A used, expired or
 * unknown (forged) link is refused with the reason; refusals of real links are on the timeline.
 */
public final class CriticalResultAcknowledgement {

    private static final Logger LOG = LoggerFactory.getLogger(CriticalResultAcknowledgement.class);

    /**
     * What happened, for the page or JSON the caller gets back. {@code confirm}: the link is valid and
     * the facility wants a button press (a POST) before it counts.
     */
    public record Outcome(int status, String error, String message, Long criticalResultId, boolean confirm) {
        public Outcome(int status, String error, String message, Long criticalResultId) {
            this(status, error, message, criticalResultId, false);
        }

        public boolean acknowledged() {
            return status == 200 && !confirm;
        }
    }

    private final Store store;
    private final CriticalResultsConfig config;
    private final Clock clock;

    CriticalResultAcknowledgement(Store store, CriticalResultsConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param pressed true when the clinician pressed the button of the confirmation page (a POST),
     *                false when the link was only opened (a GET, which a mail scanner may also do)
     */
    public Outcome byLink(String token, boolean pressed) {
        if (!AcknowledgementLink.wellFormed(token)) return unknown();
        String hash = AcknowledgementLink.hash(token);
        Long[] ids = store.fromTransaction(s -> s.createQuery(
                        "select id, criticalResultId from CriticalNotification where tokenHash = :h", Object[].class)
                .setParameter("h", hash).list().stream().findFirst()
                .map(row -> new Long[] {(Long) row[0], (Long) row[1]}).orElse(null));
        if (ids == null) return unknown();
        return store.fromTransaction(s -> {
            Instant now = clock.instant();
            // Result row first, as the sweep does: an escalation and an acknowledgement serialise on it.
            CriticalResultRecord r = s.find(CriticalResultRecord.class, ids[1], LockModeType.PESSIMISTIC_WRITE);
            CriticalNotification n = s.find(CriticalNotification.class, ids[0], LockModeType.PESSIMISTIC_WRITE);
            if (!hash.equals(n.getTokenHash())) return unknown(); // replaced by a later attempt's link
            String refusal = null;
            Outcome outcome = null;
            if (n.getUsedAt() != null) {
                refusal = "link already used at " + n.getUsedAt();
                outcome = new Outcome(410, "link_used", "This acknowledgement link was already used (" + n.getUsedAt()
                        + "). Each link works once." + closedBy(r), r.getId());
            } else if (r.getState() != CriticalResultRecord.State.OPEN) {
                refusal = "result already acknowledged";
                outcome = new Outcome(409, "already_acknowledged", "This critical result was already acknowledged"
                        + closedBy(r).replaceFirst("^ It was acknowledged", ""), r.getId());
            } else if (n.getExpiresAt() != null && !now.isBefore(n.getExpiresAt())) {
                refusal = "link expired at " + n.getExpiresAt();
                outcome = new Outcome(410, "link_expired", "This acknowledgement link expired at " + n.getExpiresAt()
                        + ". Acknowledge with a newer notification's link, or call the radiology department.", r.getId());
            }
            if (outcome != null) {
                CriticalResultEvents.record(s, r.getId(), now, CriticalResultEvents.LINK_REFUSED, n.getStep(),
                        n.getRecipientId(), refusal + " (notification " + n.getId() + ", " + n.getChannel() + ")");
                return outcome;
            }
            String by = n.getRecipientName() + " (" + n.getRecipientId() + ")";
            if (!pressed && config.directory(r.getFacilityId()).map(FacilityDirectory::confirmLinks).orElse(false)) {
                return new Outcome(200, null, "Critical result, ACR category " + r.getCategory()
                        + (r.getAccessionNumber() == null ? "" : ", accession " + r.getAccessionNumber())
                        + ", for " + by + ". Press the button to acknowledge that you have received it.", r.getId(), true);
            }
            n.used(now);
            close(s, r, now, by, "link", n.getId(), "by the link sent by " + n.getChannel() + " to " + n.getAddress());
            return new Outcome(200, null, "Thank you. The critical result (ACR category " + r.getCategory()
                    + (r.getAccessionNumber() == null ? "" : ", accession " + r.getAccessionNumber())
                    + ") is acknowledged by " + by + " at " + now + ". No further escalation.", r.getId());
        });
    }

    /** Acknowledgement through the API; {@code by} names who received the result. */
    public Outcome byApi(long id, String by, String note) {
        return store.fromTransaction(s -> {
            CriticalResultRecord r = s.find(CriticalResultRecord.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (r == null) return new Outcome(404, "not_found", "no critical result " + id, null);
            if (r.getState() != CriticalResultRecord.State.OPEN) {
                return new Outcome(409, "already_acknowledged", "critical result " + id + " was already acknowledged by "
                        + r.getAcknowledgedBy() + " at " + r.getAcknowledgedAt() + " (" + r.getAcknowledgedVia() + ")", id);
            }
            Instant now = clock.instant();
            close(s, r, now, by, "api", null, "through the API" + (note == null || note.isBlank() ? "" : ": " + note));
            return new Outcome(200, null, "critical result " + id + " acknowledged by " + by, id);
        });
    }

    private static void close(Session s, CriticalResultRecord r, Instant now, String by, String via, Long notificationId,
                              String how) {
        r.acknowledge(now, by, via, notificationId);
        List<CriticalNotification> unsent = s.createQuery("from CriticalNotification where criticalResultId = :r"
                        + " and state in (:states)", CriticalNotification.class)
                .setParameter("r", r.getId())
                .setParameter("states", List.of(CriticalNotification.State.PENDING, CriticalNotification.State.RETRY))
                .list();
        unsent.forEach(CriticalNotification::cancel);
        CriticalResultEvents.record(s, r.getId(), now, CriticalResultEvents.ACKNOWLEDGED, r.getStep(), by, how
                + (unsent.isEmpty() ? "" : "; " + unsent.size() + " unsent notification(s) cancelled"));
        LOG.info("Critical result {} acknowledged via {}", r.getId(), via);
    }

    private static String closedBy(CriticalResultRecord r) {
        return r.getState() == CriticalResultRecord.State.OPEN ? ""
                : " It was acknowledged by " + r.getAcknowledgedBy() + " at " + r.getAcknowledgedAt() + ".";
    }

    private static Outcome unknown() {
        LOG.warn("An unknown critical-result acknowledgement link was presented");
        return new Outcome(404, "unknown_link", "This is not a valid acknowledgement link. Open the whole link from"
                + " the notification, or call the radiology department to acknowledge the result.", null);
    }
}
