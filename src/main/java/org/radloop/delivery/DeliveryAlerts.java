package org.radloop.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.model.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a report could not be delivered (refused: FAILED, or unanswered after every
 * retry: DEAD): a metric that monitoring alerts on ({@code radloop_delivery_alerts_total}), a
 * warning in the log (ids only, no patient data), and a message on {@code radloop.deliver.dlq}
 * where an operator's tooling sees every dead delivery. The audit event is written with the state
 * change itself ({@link DeliveryLedger#finish}). Every outcome is also counted in
 * {@code radloop_deliveries_total}.
 */
final class DeliveryAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAlerts.class);

    private final MeterRegistry registry;
    private final Supplier<CamelContext> camel;

    private org.apache.camel.ProducerTemplate template;

    /** One template for all alerts (a ProducerTemplate is thread-safe; making one per alert leaks). */
    private synchronized org.apache.camel.ProducerTemplate template() {
        if (template == null) template = camel.get().createProducerTemplate();
        return template;
    }

    DeliveryAlerts(MeterRegistry registry, Supplier<CamelContext> camel) {
        this.registry = registry;
        this.camel = camel;
    }

    void outcome(Delivery d) {
        Counter.builder("radloop_deliveries").description("Delivery attempts by outcome")
                .tag("facility", d.getFacilityId()).tag("channel", d.getChannelType()).tag("outcome", d.getState().name())
                .register(registry).increment();
        if (d.getState() != Delivery.State.FAILED && d.getState() != Delivery.State.DEAD) return;
        Counter.builder("radloop_delivery_alerts").description("Reports that could not be delivered (FAILED or DEAD)")
                .tag("facility", d.getFacilityId()).tag("channel", d.getChannelType()).tag("state", d.getState().name())
                .register(registry).increment();
        LOG.warn("ALERT delivery {} of report {} v{} to facility {} on channel {} is {} after {} attempt(s); see GET /api/deliveries/{}",
                d.getId(), d.getReportId(), d.getReportVersion(), d.getFacilityId(), d.getChannel(), d.getState(),
                d.getAttempts(), d.getId());
        try {
            template().sendBody("jms:queue:" + Stage.DELIVER.deadLetterQueue() + "?deliveryPersistent=true",
                    new StageMessage("delivery", Long.toString(d.getId()), d.getFacilityId(),
                            d.getState().name().toLowerCase(java.util.Locale.ROOT)).toJson());
        } catch (RuntimeException e) {
            // The row, the audit event and the metric already say it; the queue copy is a convenience.
            LOG.warn("Could not put delivery {} on {}: {}", d.getId(), Stage.DELIVER.deadLetterQueue(), e.toString());
        }
    }
}
