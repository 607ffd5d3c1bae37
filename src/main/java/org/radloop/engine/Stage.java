package org.radloop.engine;

/**
 * The stages of the loop. Each has one durable queue ({@code radloop.<stage>}) and its own
 * dead-letter queue ({@code radloop.<stage>.dlq}); no stage calls another directly.
 */
public enum Stage {
    INGEST, TRIAGE, ROUTE, REPORT, QC, DELIVER, IMPROVE;

    public String queue() {
        return "radloop." + name().toLowerCase(java.util.Locale.ROOT);
    }

    public String deadLetterQueue() {
        return queue() + ".dlq";
    }

    /** The Camel endpoint that sends to this stage: persistent, with the message's own JMS priority. */
    public String endpoint() {
        return "jms:queue:" + queue() + "?deliveryPersistent=true&preserveMessageQos=true";
    }
}
