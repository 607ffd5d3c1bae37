package org.radloop.api;

import org.radloop.model.Refusal;

/**
 * A request the API refuses, with the HTTP status and the reason a caller can act on. Thrown by a
 * handler and turned into {@code {"error": ..., "reason": ...}} by {@link JsonEndpoint}.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String error;

    public ApiProblem(int status, String error, String reason) {
        super(reason);
        this.status = status;
        this.error = error;
    }

    public static ApiProblem badRequest(String reason) {
        return new ApiProblem(400, "bad_request", reason);
    }

    public static ApiProblem notFound(String reason) {
        return new ApiProblem(404, "not_found", reason);
    }

    public static ApiProblem unavailable(String reason) {
        return new ApiProblem(503, "unavailable", reason);
    }

    /** A stage's refusal as HTTP: its kind NOT_FOUND, CONFLICT or BAD_REQUEST answered 404, 409 or 400, with its reason. */
    static ApiProblem refused(Refusal refusal) {
        return switch (refusal.kind()) {
            case NOT_FOUND -> notFound(refusal.getMessage());
            case CONFLICT -> new ApiProblem(409, "conflict", refusal.getMessage());
            case BAD_REQUEST -> badRequest(refusal.getMessage());
        };
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String reason() {
        return getMessage();
    }
}
