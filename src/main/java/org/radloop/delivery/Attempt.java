package org.radloop.delivery;

import org.radloop.config.FacilityConfig;

/**
 * One attempt to deliver a report on one channel, as a channel sees it: which delivery (its id and
 * how often it was resent make the message identifiers, which stay the same across retries so that
 * the destination can recognise a repeat), the facility, and a place to leave the text message
 * that went out for the message log.
 */
public final class Attempt {

    private final long deliveryId;
    private final int resendCount;
    private final int number;
    private final FacilityConfig facility;
    private OutboundMessage outbound;

    /** A text message that went out, kept whole like inbound messages are (MessageRecord, direction OUT). */
    public record OutboundMessage(String channel, String messageType, String controlId, String version, String payload) {
    }

    public Attempt(long deliveryId, int resendCount, int number, FacilityConfig facility) {
        this.deliveryId = deliveryId;
        this.resendCount = resendCount;
        this.number = number;
        this.facility = facility;
    }

    /**
     * A short identifier, the same on every retry of this delivery and new on each resend: the
     * HL7 MSH-10, the SFTP file name suffix, the email's reference.
     */
    public String messageId() {
        return "RL" + deliveryId + (resendCount == 0 ? "" : "R" + resendCount);
    }

    public long deliveryId() { return deliveryId; }
    public int resendCount() { return resendCount; }
    public int number() { return number; }
    public FacilityConfig facility() { return facility; }

    public void sent(OutboundMessage message) {
        this.outbound = message;
    }

    public OutboundMessage outbound() {
        return outbound;
    }
}
