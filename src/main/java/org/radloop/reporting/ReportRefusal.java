package org.radloop.reporting;

/** A report request that cannot be done, with the reason the caller can act on. */
public final class ReportRefusal extends RuntimeException {

    public enum Kind { NOT_FOUND, CONFLICT, BAD_REQUEST }

    private final Kind kind;

    public ReportRefusal(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
