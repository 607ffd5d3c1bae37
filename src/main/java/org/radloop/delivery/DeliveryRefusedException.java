package org.radloop.delivery;

/**
 * A {@code radloop.deliver} message that cannot be acted on: not JSON, not a report, or naming no
 * signed report. The route parks it on {@code radloop.deliver.dlq} at once (retrying would not
 * help) with this reason, and goes on with the next message.
 */
public class DeliveryRefusedException extends RuntimeException {

    public DeliveryRefusedException(String message) {
        super(message);
    }

    public DeliveryRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
