package org.radloop.delivery;

/**
 * Sends one report over one kind of channel and says how it went: returns when the destination
 * confirmed it, throws {@link PermanentDeliveryException} when the destination refused it, and throws
 * anything else when it did not answer (retried with backoff).
 */
public interface ReportChannel {

    Sent send(ReportForDelivery report, DeliveryChannel channel, Attempt attempt) throws Exception;
}
