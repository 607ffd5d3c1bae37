package org.radloop.ingest;

/**
 * Where in a message an error is: segment, its sequence, field and (optionally) component. Written
 * as ERR-2 (ERL) in HL7 2.5 and later and inside ERR-1 (ELD) in 2.3.1.
 */
record ErrorLocation(String segment, int sequence, int field, int component) {

    static ErrorLocation of(String segment, int field) {
        return new ErrorLocation(segment, 1, field, 0);
    }

    static ErrorLocation of(String segment, int field, int component) {
        return new ErrorLocation(segment, 1, field, component);
    }

    static ErrorLocation segment(String segment) {
        return new ErrorLocation(segment, 1, 0, 0);
    }

    /** ERL: Segment ID ^ Sequence ^ Field ^ Field Repetition ^ Component, without the unused tail. */
    String erl() {
        StringBuilder b = new StringBuilder(segment).append('^').append(sequence);
        if (field > 0) b.append('^').append(field);
        if (field > 0 && component > 0) b.append("^1^").append(component);
        return b.toString();
    }
}
