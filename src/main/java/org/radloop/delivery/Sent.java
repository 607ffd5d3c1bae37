package org.radloop.delivery;

/**
 * The destination confirmed the report.
 *
 * @param reference what the destination calls it (ACK control id, resource id, SOP Instance UID, file name)
 * @param ackCode   the acknowledgement code when the protocol has one (HL7 AA), else null
 */
public record Sent(String reference, String ackCode) {
}
