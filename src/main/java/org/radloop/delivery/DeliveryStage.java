package org.radloop.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RetryPolicy;
import org.radloop.engine.StageMessage;
import org.radloop.model.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliver stage: a report that was approved ({@code radloop.deliver}, kind "report") goes to
 * every channel its facility has switched on, each tracked in its own {@link Delivery} row.
 *
 * <p>The queue message is finished once the rows exist: from then on the rows are the durable
 * work. Each row is tried at once on the stage's own worker threads (so that a RIS that holds the
 * connection without answering delays only its own delivery, not the other channels or the other
 * facilities); a destination that does not answer is tried again by
 * {@link #sweep()} (the {@code delivery-retry} route) with the channel's exponential backoff, until
 * it is delivered or its retries are exhausted (DEAD, with an alert). A refusal is FAILED at once,
 * with an alert. The same message again, or a restart, finds the existing rows and sends nothing
 * that was delivered.
 */
public final class DeliveryStage {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStage.class);

    private final DeliveryLedger ledger;
    private final FacilityRegistry facilities;
    private final Supplier<ReportSource> reports;
    private final Map<ChannelType, ReportChannel> channels;
    private final DeliveryAlerts alerts;
    private final Clock clock;
    private final Duration lease;
    private final Supplier<java.util.concurrent.Executor> workers;
    /** Deliveries handed to a worker and not finished yet: the sweep does not queue them twice. */
    private final java.util.Set<Long> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();

    DeliveryStage(DeliveryLedger ledger, FacilityRegistry facilities, Supplier<ReportSource> reports,
                  Map<ChannelType, ReportChannel> channels, DeliveryAlerts alerts, Clock clock, Duration lease,
                  Supplier<java.util.concurrent.Executor> workers) {
        this.ledger = ledger;
        this.facilities = facilities;
        this.reports = reports;
        this.channels = new EnumMap<>(channels);
        this.alerts = alerts;
        this.clock = clock;
        this.lease = lease;
        this.workers = workers;
    }

    /** A {@code radloop.deliver} message: make the report's deliveries and try each once. */
    public List<Long> onStageMessage(String body) {
        StageMessage message;
        try {
            message = StageMessage.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new DeliveryRefusedException(e.getMessage(), e);
        }
        if (!"report".equals(message.kind()) || message.id() == null) {
            throw new DeliveryRefusedException("radloop.deliver takes report messages, not kind '" + message.kind() + "'");
        }
        ReportSource source = reports.get();
        if (source == null) throw new IllegalStateException("no report source is configured (bean 'reportSource')");
        ReportForDelivery report = source.find(message.id())
                .orElseThrow(() -> new DeliveryRefusedException("no signed report " + message.id()));
        FacilityConfig facility = facilities.byId(report.facilityId())
                .orElseThrow(() -> new DeliveryRefusedException("report " + message.id() + " names facility '"
                        + report.facilityId() + "', which is not configured")).config();
        List<Long> ids = new ArrayList<>();
        for (DeliveryChannel channel : DeliveryChannel.of(facility)) {
            if (channel.enabled()) ids.add(ledger.ensure(report, channel));
        }
        if (ids.isEmpty()) LOG.info("Report {} v{}: facility {} has no delivery channel switched on",
                report.reportId(), report.version(), report.facilityId());
        ids.forEach(this::dispatch);
        return ids;
    }

    /** Retries: deliveries whose next attempt is due, and those a stopped node left SENT. */
    public int sweep() {
        int released = ledger.releaseStale(lease);
        if (released > 0) LOG.info("{} delivery attempt(s) left without an outcome are sent again", released);
        int n = 0;
        for (long id : ledger.due(100)) {
            if (dispatch(id)) n++;
        }
        return n;
    }

    /** An analyst's resend (API): the delivery is PENDING again with fresh attempts and new message ids. */
    public Delivery resend(long id, String actor) {
        return ledger.resend(id, actor);
    }

    /** Hands an attempt to a worker unless one is already queued for it; true when queued. */
    private boolean dispatch(long id) {
        if (!queued.add(id)) return false;
        try {
            workers.get().execute(() -> {
                try {
                    attempt(id);
                } catch (RuntimeException e) {
                    // The database went away mid-attempt: the row stays SENT and the lease brings it back.
                    LOG.warn("Delivery {} attempt did not finish: {}", id, e.toString());
                } finally {
                    queued.remove(id);
                }
            });
            return true;
        } catch (RuntimeException rejected) {
            // Shutting down: the row is still PENDING (or will be released) and is tried after the restart.
            queued.remove(id);
            return false;
        }
    }

    /** One attempt, if this caller wins the row; true when it ran. */
    boolean attempt(long id) {
        if (!ledger.claim(id)) return false;
        Delivery d = ledger.find(id);
        Attempt attempt = null;
        DeliveryLedger.Outcome outcome;
        Optional<DeliveryChannel> channel = Optional.empty();
        try {
            FacilityConfig facility = facilities.byId(d.getFacilityId())
                    .orElseThrow(() -> new PermanentDeliveryException("facility " + d.getFacilityId() + " is no longer configured"))
                    .config();
            channel = DeliveryChannel.of(facility).stream().filter(c -> c.name().equals(d.getChannel())).findFirst();
            DeliveryChannel ch = channel.orElseThrow(() -> new PermanentDeliveryException(
                    "channel '" + d.getChannel() + "' is no longer configured for " + d.getFacilityId()));
            ReportSource source = reports.get();
            ReportForDelivery report = (source == null ? Optional.<ReportForDelivery>empty() : source.find(d.getReportId()))
                    .filter(r -> r.version() == d.getReportVersion())
                    .orElseThrow(() -> new PermanentDeliveryException("report " + d.getReportId() + " v" + d.getReportVersion()
                            + " is no longer available for delivery"));
            attempt = new Attempt(d.getId(), d.getResendCount(), d.getAttempts(), facility);
            ReportChannel sender = channels.get(ch.type());
            if (sender == null) throw new PermanentDeliveryException("channel type " + ch.type() + " is not available");
            Sent sent = sender.send(report, ch, attempt);
            outcome = new DeliveryLedger.Outcome(Delivery.State.DELIVERED, sent.reference(), sent.ackCode(), null, null, remote(ch));
        } catch (PermanentDeliveryException refused) {
            outcome = new DeliveryLedger.Outcome(Delivery.State.FAILED, null, refused.ackCode(), describe(refused), null,
                    channel.map(DeliveryStage::remote).orElse(null));
        } catch (Exception unanswered) {
            RetryPolicy retry = channel.map(DeliveryChannel::retry).orElse(RetryPolicy.DEFAULT);
            String error = describe(unanswered);
            outcome = retry.exhausted(d.getAttempts())
                    ? new DeliveryLedger.Outcome(Delivery.State.DEAD, null, null,
                            "no answer after " + d.getAttempts() + " attempt(s); last: " + error, null, channel.map(DeliveryStage::remote).orElse(null))
                    : new DeliveryLedger.Outcome(Delivery.State.PENDING, null, null, error,
                            clock.instant().plus(retry.delayAfter(d.getAttempts())), channel.map(DeliveryStage::remote).orElse(null));
        }
        Delivery after = ledger.finish(id, attempt, outcome);
        alerts.outcome(after);
        return true;
    }

    private static String remote(DeliveryChannel ch) {
        String host = ch.text("host", null);
        if (host != null) return host + ":" + ch.integer("port", 0);
        return ch.text("serverUrl", null);
    }

    /** The exception chain in one line, innermost cause last; enough for an analyst to see why. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || sb.indexOf(m) >= 0) continue;
            if (sb.length() > 0) sb.append(" <- ");
            sb.append(t instanceof PermanentDeliveryException || t instanceof java.io.IOException && sb.length() == 0
                    ? m : t.getClass().getSimpleName() + ": " + m);
        }
        return sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString();
    }
}
