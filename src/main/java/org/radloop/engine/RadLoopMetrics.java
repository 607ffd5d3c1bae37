package org.radloop.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The engine's measurements, one registry for all stages, scraped at {@code GET /metrics}.
 * Tags carry facility ids and message types, never patient data.
 */
public final class RadLoopMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** A message that came in: its facility (or "unknown"), type (e.g. ORM^O01) and the ACK code given. */
    public void messageIn(String channel, String facility, String type, String outcome) {
        Counter.builder("radloop_messages_in").description("Messages received")
                .tag("channel", channel).tag("facility", nz(facility)).tag("type", nz(type)).tag("outcome", nz(outcome))
                .register(registry).increment();
    }

    /** A message that went out to a facility's system. */
    public void messageOut(String channel, String facility, String type, String outcome) {
        Counter.builder("radloop_messages_out").description("Messages sent")
                .tag("channel", channel).tag("facility", nz(facility)).tag("type", nz(type)).tag("outcome", nz(outcome))
                .register(registry).increment();
    }

    /** A refused or failed message, by the standard error code it was given. */
    public void error(String channel, String facility, String code) {
        Counter.builder("radloop_errors").description("Messages refused or failed")
                .tag("channel", channel).tag("facility", nz(facility)).tag("code", nz(code))
                .register(registry).increment();
    }

    /** How long one stage took for one item. */
    public void stageLatency(Stage stage, Duration took) {
        Timer.builder("radloop_stage_latency").description("Time a stage spent on one item")
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                .publishPercentiles(0.5, 0.99)
                .register(registry).record(took);
    }

    /** Queue depths are read when scraped. */
    public void watchQueues(MessageBroker broker) {
        for (Stage stage : Stage.values()) {
            Gauge.builder("radloop_queue_depth", broker, b -> b.depth(stage.queue()))
                    .tag("queue", stage.queue()).description("Messages waiting on a stage queue").register(registry);
            Gauge.builder("radloop_queue_depth", broker, b -> b.depth(stage.deadLetterQueue()))
                    .tag("queue", stage.deadLetterQueue()).description("Messages waiting on a stage queue").register(registry);
        }
    }

    private static String nz(String s) {
        return s == null || s.isBlank() ? "unknown" : s;
    }
}
