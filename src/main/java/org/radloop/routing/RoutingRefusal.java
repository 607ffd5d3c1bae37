package org.radloop.routing;

/** A case or availability request that cannot be done, with the reason the caller can act on. */
public final class RoutingRefusal extends RuntimeException {

    public enum Kind { NOT_FOUND, CONFLICT, BAD_REQUEST }

    private final Kind kind;

    public RoutingRefusal(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
