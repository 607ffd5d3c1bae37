package org.radloop.qc;

/**
 * Why the QC stage or its override API will not act: a queue message it cannot read (parked on
 * radloop.qc.dlq by routes/qc.yaml) or a request it refuses (400, 404, 409 in the API).
 */
public final class QcRefusal extends RuntimeException {

    public enum Kind { BAD_REQUEST, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public QcRefusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
