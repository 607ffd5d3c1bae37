package org.radloop.ingest;

import ca.uhn.hl7v2.ErrorCode;

/**
 * Why a message is refused, in the terms the ACK carries: reject (AR: the message as a whole is not
 * acceptable here) or error (AE: its content is wrong), the HL7 table 0357 code, where, and a text
 * an analyst can act on. Carries no stack trace: it is an answer, not a fault.
 */
final class Hl7Rejection extends Exception {

    private final boolean reject;
    private final ErrorCode code;
    private final ErrorLocation location;

    private Hl7Rejection(boolean reject, ErrorCode code, ErrorLocation location, String text) {
        super(text, null, false, false);
        this.reject = reject;
        this.code = code;
        this.location = location;
    }

    /** AR: not acceptable here at all (type, version, sender, size, transport-level garbage). */
    static Hl7Rejection reject(ErrorCode code, ErrorLocation location, String text) {
        return new Hl7Rejection(true, code, location, text);
    }

    /** AE: acceptable kind of message whose content is wrong or incomplete. */
    static Hl7Rejection error(ErrorCode code, ErrorLocation location, String text) {
        return new Hl7Rejection(false, code, location, text);
    }

    static Hl7Rejection missing(String segment, int field, String what) {
        return error(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.of(segment, field), what + " (" + segment + "-" + field + ") is required");
    }

    boolean isReject() {
        return reject;
    }

    ErrorCode code() {
        return code;
    }

    ErrorLocation location() {
        return location;
    }
}
