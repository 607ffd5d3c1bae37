package org.radloop.model;

/**
 * A request a stage will not carry out, with the reason the caller can act on: a case, report or
 * QC override the API asks for (404, 409 or 400 there), or a queue message a stage cannot read
 * (parked on the stage's dead-letter queue by its route).
 */
public final class Refusal extends RuntimeException {

    public enum Kind {
        /** the request itself is wrong: it will never work as sent */
        BAD_REQUEST,
        /** it names a record RadLoop does not have */
        NOT_FOUND,
        /** the record is not in a state that allows it (already signed, taken by another reader...) */
        CONFLICT
    }

    private final Kind kind;

    public Refusal(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
