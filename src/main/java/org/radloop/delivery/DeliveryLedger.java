package org.radloop.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.LockMode;
import org.hibernate.exception.ConstraintViolationException;
import org.radloop.model.Delivery;
import org.radloop.model.MessageRecord;
import org.radloop.model.Store;

/**
 * The delivery rows and their state changes, each in its own short transaction so that no database
 * transaction stays open while a destination is slow to answer. Two nodes (or a retry sweep and a
 * queue consumer) never send the same delivery at once: an attempt starts only by moving the row
 * from PENDING to SENT in one conditional update, which only one of them can win.
 */
final class DeliveryLedger {

    private final Store store;
    private final Clock clock;

    DeliveryLedger(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The delivery of this report version on this channel: the existing row, or a new PENDING one. */
    long ensure(ReportForDelivery report, DeliveryChannel channel) {
        String key = Delivery.key(report.reportId(), report.version(), channel.name());
        Optional<Long> existing = byKey(key);
        if (existing.isPresent()) return existing.get();
        try {
            return store.fromTransaction(s -> {
                Delivery d = new Delivery(report.reportId(), report.version(), report.facilityId(), channel.name(),
                        channel.type().yamlName(), clock.instant());
                s.persist(d);
                return d.getId();
            });
        } catch (ConstraintViolationException raced) {
            // Another consumer made it between our look and our insert: the unique key kept it single.
            return byKey(key).orElseThrow(() -> raced);
        }
    }

    private Optional<Long> byKey(String key) {
        return store.fromTransaction(s -> s.createQuery("select d.id from Delivery d where d.idempotencyKey = :k", Long.class)
                .setParameter("k", key).uniqueResultOptional());
    }

    /** Starts an attempt if the delivery is PENDING and due; true when this caller won it. */
    boolean claim(long id) {
        Instant now = clock.instant();
        return store.fromTransaction(s -> s.createMutationQuery(
                "update Delivery d set d.state = :sent, d.attempts = d.attempts + 1, d.lastAttemptAt = :now, d.updatedAt = :now"
                        + " where d.id = :id and d.state = :pending and (d.nextAttemptAt is null or d.nextAttemptAt <= :now)")
                .setParameter("sent", Delivery.State.SENT).setParameter("pending", Delivery.State.PENDING)
                .setParameter("now", now).setParameter("id", id).executeUpdate()) == 1;
    }

    Delivery find(long id) {
        return store.fromTransaction(s -> s.find(Delivery.class, id));
    }

    /**
     * Writes how the attempt ended, with the message that went out (MessageRecord, direction OUT,
     * SENT on success, FAILED otherwise) in the same transaction.
     */
    Delivery finish(long id, Attempt attempt, Outcome outcome) {
        Instant now = clock.instant();
        return store.fromTransaction(s -> {
            Delivery d = s.find(Delivery.class, id, LockMode.PESSIMISTIC_WRITE);
            Attempt.OutboundMessage out = attempt == null ? null : attempt.outbound();
            if (out != null) {
                MessageRecord r = new MessageRecord(MessageRecord.Direction.OUT, out.channel(), out.payload(),
                        out.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                r.setFacilityId(d.getFacilityId());
                r.setMessageType(out.messageType());
                r.setControlId(out.controlId());
                r.setHl7Version(out.version());
                r.setCharset("UTF-8");
                r.setState(outcome.state() == Delivery.State.DELIVERED ? MessageRecord.State.SENT : MessageRecord.State.FAILED);
                r.setAckCode(outcome.ackCode());
                if (outcome.state() != Delivery.State.DELIVERED) r.setError(outcome.ackCode(), null, outcome.error());
                r.setRemoteAddress(outcome.remote());
                r.setProcessedAt(now);
                r.setSummary("{\"delivery\":" + d.getId() + ",\"report\":\"" + d.getReportId() + "\",\"version\":"
                        + d.getReportVersion() + ",\"channel\":\"" + d.getChannel() + "\"}");
                s.persist(r);
                s.flush();
                d.setMessageRecordId(r.getId());
            }
            switch (outcome.state()) {
                case DELIVERED -> d.delivered(outcome.reference(), now);
                case PENDING -> d.retryAt(outcome.retryAt(), outcome.error(), now);
                default -> d.failed(outcome.state(), outcome.error(), now);
            }
            s.persist(new org.radloop.model.AuditEvent("delivery", "delivery." + outcome.state().name().toLowerCase(java.util.Locale.ROOT),
                    "delivery", d.getId(), "report " + d.getReportId() + " v" + d.getReportVersion() + " on " + d.getChannel()
                    + ", attempt " + d.getAttempts() + (outcome.error() == null ? "" : ": " + outcome.error())));
            return d;
        });
    }

    /** How an attempt ended: the new state, and what goes with it. */
    record Outcome(Delivery.State state, String reference, String ackCode, String error, Instant retryAt, String remote) {
    }

    /**
     * Deliveries left SENT longer than {@code lease} (the node stopped while waiting for an answer)
     * are made PENDING again: they are sent again with the same identifiers.
     */
    int releaseStale(Duration lease) {
        Instant now = clock.instant();
        return store.fromTransaction(s -> s.createMutationQuery(
                "update Delivery d set d.state = :pending, d.nextAttemptAt = :now, d.updatedAt = :now"
                        + " where d.state = :sent and d.lastAttemptAt < :cutoff")
                .setParameter("pending", Delivery.State.PENDING).setParameter("sent", Delivery.State.SENT)
                .setParameter("now", now).setParameter("cutoff", now.minus(lease)).executeUpdate());
    }

    /** PENDING deliveries whose next attempt is due, oldest first. */
    List<Long> due(int limit) {
        Instant now = clock.instant();
        return store.fromTransaction(s -> s.createQuery(
                "select d.id from Delivery d where d.state = :pending and (d.nextAttemptAt is null or d.nextAttemptAt <= :now)"
                        + " order by d.nextAttemptAt, d.id", Long.class)
                .setParameter("pending", Delivery.State.PENDING).setParameter("now", now)
                .setMaxResults(limit).list());
    }

    /** Puts a delivery back to PENDING for a new set of attempts, on an analyst's request. */
    Delivery resend(long id, String actor) {
        Instant now = clock.instant();
        return store.fromTransaction(s -> {
            Delivery d = s.find(Delivery.class, id, LockMode.PESSIMISTIC_WRITE);
            if (d == null) throw new java.util.NoSuchElementException("no delivery " + id);
            if (d.getState() == Delivery.State.SENT) {
                throw new IllegalStateException("delivery " + id + " is being sent right now; resend it once it has an outcome");
            }
            Delivery.State was = d.getState();
            d.resend(now);
            s.persist(new org.radloop.model.AuditEvent(actor, "delivery.resend", "delivery", d.getId(),
                    "was " + was + "; report " + d.getReportId() + " v" + d.getReportVersion() + " on " + d.getChannel()));
            return d;
        });
    }
}
