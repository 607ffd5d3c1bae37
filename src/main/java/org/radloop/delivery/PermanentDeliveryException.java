package org.radloop.delivery;

/**
 * The destination answered and refused (HL7 AE/AR, HTTP 4xx, DICOM failure status), or the channel
 * cannot work as configured: sending the same thing again would be refused again, so the delivery
 * is FAILED at once and an alert is raised.
 */
public class PermanentDeliveryException extends RuntimeException {

    private final String ackCode;

    public PermanentDeliveryException(String message) {
        this(message, null, null);
    }

    public PermanentDeliveryException(String message, String ackCode, Throwable cause) {
        super(message, cause);
        this.ackCode = ackCode;
    }

    /** The refusal's acknowledgement code when the protocol has one (HL7 AE or AR). */
    public String ackCode() {
        return ackCode;
    }
}
