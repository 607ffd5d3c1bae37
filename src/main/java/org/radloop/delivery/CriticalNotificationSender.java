package org.radloop.delivery;

import org.radloop.config.ConfiguredDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.hibernate.Session;
import org.radloop.config.FacilityRegistry;
import org.radloop.model.ClaimedSend;
import org.radloop.model.DatabaseContention;
import org.radloop.model.CriticalNotification;
import org.radloop.model.CriticalResultRecord;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the notifications that are due (new ones, and failed ones whose retry time has come).
 *
 * <p>Each notification is claimed with its row locked and its state read again, so that several
 * nodes, or the sweep and {@link CriticalResultNotifier#open} at once, never send it twice: a second
 * node finds it claimed (or SENT) and leaves it. The send itself runs with no transaction open, so
 * that a slow channel never holds the row an acknowledgement needs; its outcome is written under the
 * lock again ({@link org.radloop.model.ClaimedSend}). A notification whose result was acknowledged
 * before it was claimed is cancelled instead of sent.
 */
final class CriticalNotificationSender {

    private static final Logger LOG = LoggerFactory.getLogger(CriticalNotificationSender.class);

    private final Store store;
    private final CriticalResultsConfig config;
    private final FacilityRegistry facilities;
    private final NotificationChannels channels;
    private final AcknowledgementLink links;
    private final Clock clock;

    CriticalNotificationSender(Store store, CriticalResultsConfig config, FacilityRegistry facilities,
                               NotificationChannels channels, AcknowledgementLink links, Clock clock) {
        this.store = store;
        this.config = config;
        this.facilities = facilities;
        this.channels = channels;
        this.links = links;
        this.clock = clock;
    }

    /** Sends what is due, of one critical result or (null) of all; returns how many were delivered. */
    int sendDue(Long resultId) {
        Instant now = clock.instant();
        List<Long> due = store.fromTransaction(s -> {
            var q = s.createQuery("select id from CriticalNotification where state in (:states) and nextAttemptAt <= :now"
                            + (resultId == null ? "" : " and criticalResultId = :r") + " order by id", Long.class)
                    .setParameter("states", List.of(CriticalNotification.State.PENDING, CriticalNotification.State.RETRY))
                    .setParameter("now", now);
            if (resultId != null) q.setParameter("r", resultId);
            return q.list();
        });
        int sent = 0;
        for (Long id : due) {
            // Sent outside any transaction: a slow mail server or pager gateway must not hold the
            // notification's row, which an acknowledgement arriving meanwhile needs to lock.
            Boolean delivered = ClaimedSend.send(store, CriticalNotification.class, id, (s, n) -> claim(s, n, now), this::send,
                    (s, n, error) -> record(s, n, now, error), (notification, e) -> {
                        // Another node or thread holds the row: it is sending this one right now.
                        if (DatabaseContention.lockTimedOut(e)) LOG.debug("Critical-result notification {} is being sent elsewhere", notification);
                        else LOG.warn("Critical-result notification {} not sent in this pass; the next sweep tries again", notification, e);
                    });
            if (Boolean.TRUE.equals(delivered)) sent++;
        }
        return sent;
    }

    /** A notification taken for sending, with its text (or why it cannot be composed). */
    private record Outgoing(CriticalNotification notification, FacilityDirectory directory, NotificationText text, String error) {
    }

    /** Checks the locked notification is still due, issues its link and composes it; null when there is nothing to send. */
    private Outgoing claim(Session s, CriticalNotification n, Instant now) {
        if (n.getNextAttemptAt() == null || n.getNextAttemptAt().isAfter(now)
                || (n.getState() != CriticalNotification.State.PENDING && n.getState() != CriticalNotification.State.RETRY)) {
            return null;
        }
        CriticalResultRecord r = s.find(CriticalResultRecord.class, n.getCriticalResultId());
        if (r.getState() != CriticalResultRecord.State.OPEN) {
            n.cancel();
            CriticalResultEvents.record(s, r.getId(), now, CriticalResultEvents.CANCELLED, n.getStep(), "critical-results",
                    n.getChannel() + " to " + n.getRecipientId() + ": acknowledged before it was sent");
            return null;
        }
        CriticalResultPolicy policy = config.policy();
        FacilityDirectory dir = config.directory(r.getFacilityId()).orElse(null);
        n.claim(now.plus(ClaimedSend.IN_FLIGHT));
        if (dir == null) return new Outgoing(n, null, null, "no clinician directory for facility " + r.getFacilityId());
        String token = links.newToken();
        n.issueLink(AcknowledgementLink.hash(token), now.plus(policy.linkValidity()));
        var facility = facilities.byId(r.getFacilityId());
        String facilityName = facility.map(f -> f.config().name()).orElse(r.getFacilityId());
        ZoneId zone = facility.map(f -> zone(f.config().timeZone())).orElse(ZoneOffset.UTC);
        Duration within = Duration.between(now, r.getStepDeadline());
        if (within.isNegative() || within.isZero()) within = Duration.ofMinutes(1);
        NotificationText text = NotificationText.compose(r, n, dir, facilityName,
                policy.categoryNames().get(r.getCategory()), within, r.getStepDeadline(), zone, links.url(token));
        return new Outgoing(n, dir, text, null);
    }

    private String send(Outgoing out) {
        if (out.error() != null) return out.error();
        try {
            channels.send(out.notification(), out.directory(), out.text());
            return null;
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Writes the attempt's outcome: sent, or failed with the next try. Returns true when it was sent. */
    private boolean record(Session s, CriticalNotification n, Instant now, String error) {
        if (error == null) {
            n.sent(now);
            CriticalResultEvents.record(s, n.getCriticalResultId(), now, CriticalResultEvents.SENT, n.getStep(), n.getRecipientId(),
                    n.getChannel() + " to " + n.getRecipientName() + " <" + n.getAddress() + ">, attempt " + n.getAttempts());
            return true;
        }
        if (n.getState() == CriticalNotification.State.CANCELLED) {
            // Acknowledged while this attempt was out: nothing more to send.
            CriticalResultEvents.record(s, n.getCriticalResultId(), now, CriticalResultEvents.FAILED, n.getStep(), n.getRecipientId(),
                    n.getChannel() + " to " + n.getRecipientName() + " <" + n.getAddress() + ">: " + error
                            + "; not tried again, the result was acknowledged meanwhile");
            return false;
        }
        Duration delay = config.policy().retryDelay(n.getAttempts() + 1);
        n.failed(error, delay == null ? null : now.plus(delay));
        CriticalResultEvents.record(s, n.getCriticalResultId(), now, CriticalResultEvents.FAILED, n.getStep(), n.getRecipientId(),
                n.getChannel() + " to " + n.getRecipientName() + " <" + n.getAddress() + ">, attempt " + n.getAttempts()
                        + (delay == null ? ", given up" : ", next try in " + ConfiguredDuration.describe(delay)) + ": " + error);
        LOG.warn("Critical-result notification {} ({}) not delivered, attempt {}: {}", n.getId(), n.getChannel(),
                n.getAttempts(), error);
        return false;
    }

    /** The facility's zone for the times a message gives; UTC when the facility file names none it knows. */
    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
