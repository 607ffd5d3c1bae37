package org.radloop.api;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.util.CaseInsensitiveMap;
import org.radloop.model.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps one API handler with what every endpoint shares: the bearer-token check, the allowed HTTP
 * methods, JSON out, and {@code {"error", "reason"}} bodies for every refusal.
 *
 * <p>Methods are checked here rather than with platform-http's {@code httpMethodRestrict} because
 * Vert.x would answer a wrong method with a plain-text 405 and no reason.
 *
 * <p>All request headers are dropped before the reply is written: platform-http copies message
 * headers onto the response, and the caller's Authorization header must never be echoed back.
 */
final class JsonEndpoint implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JsonEndpoint.class);
    static final String JSON = "application/json; charset=utf-8";

    /** What a handler produces when it needs a status other than 200 or a body that is not JSON. */
    record Reply(int status, String contentType, String body) {
        static Reply json(int status, Object value) {
            return new Reply(status, JSON, ApiJson.write(value));
        }
    }

    @FunctionalInterface
    interface Handler {
        /** Returns the response body (written as JSON with 200), or a {@link Reply}. */
        Object handle(ApiRequest request) throws Exception;
    }

    /** What a handler may read from the request. */
    record ApiRequest(String method, Map<String, Object> headers, String body) {

        ApiRequest(String method, Map<String, Object> headers) {
            this(method, headers, null);
        }

        /** The body as a JSON object (an empty one when there is no body); anything else is refused with 400. */
        com.fasterxml.jackson.databind.JsonNode jsonBody() {
            if (body == null || body.isBlank()) return ApiJson.MAPPER.createObjectNode();
            try {
                com.fasterxml.jackson.databind.JsonNode node = ApiJson.MAPPER.readTree(body);
                if (node == null || !node.isObject()) throw ApiProblem.badRequest("the request body must be a JSON object");
                return node;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw ApiProblem.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
            }
        }

        String pathParameter(String name) {
            Object v = headers.get(name);
            return v == null ? null : v.toString();
        }

        long idParameter(String name) {
            String v = pathParameter(name);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("'" + v + "' is not a " + name + ": it must be a whole number");
            }
        }

        QueryParameters query(Set<String> allowed) {
            Object raw = headers.get(Exchange.HTTP_QUERY);
            return new QueryParameters(raw == null ? null : raw.toString(), allowed);
        }
    }

    private final Set<String> methods;
    private final ApiToken token;
    private final Handler handler;

    /** @param token the token to require, or null for an open endpoint (health) */
    JsonEndpoint(Set<String> methods, ApiToken token, Handler handler) {
        this.methods = new TreeSet<>(methods);
        this.token = token;
        this.handler = handler;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> headers = new CaseInsensitiveMap(in.getHeaders());
        String method = String.valueOf(headers.get(Exchange.HTTP_METHOD));
        String body = "GET".equals(method) ? null : in.getBody(String.class);
        in.removeHeaders("*");
        Reply reply;
        try {
            if (token != null) checkToken(headers.get("Authorization"), in);
            if (!methods.contains(method)) {
                in.setHeader("Allow", String.join(", ", methods));
                throw new ApiProblem(405, "method_not_allowed", method + " is not allowed here; use " + String.join(" or ", methods));
            }
            Object result = handler.handle(new ApiRequest(method, headers, body));
            reply = result instanceof Reply r ? r : Reply.json(200, result);
        } catch (ApiProblem p) {
            reply = Reply.json(p.status(), new ErrorBody(p.error(), p.reason()));
        } catch (Refusal r) {
            ApiProblem p = ApiProblem.refused(r);
            reply = Reply.json(p.status(), new ErrorBody(p.error(), p.reason()));
        } catch (Exception e) {
            // The route, not the path: a path can carry an accession number.
            LOG.warn("API request {} on route {} failed", method, exchange.getFromRouteId(), e);
            reply = Reply.json(500, new ErrorBody("internal_error", "the request failed inside the engine; see its log"));
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        in.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        in.setBody(reply.body());
    }

    private void checkToken(Object authorization, Message response) {
        String value = authorization == null ? null : authorization.toString().trim();
        if (value == null || value.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"radloop\"");
            throw new ApiProblem(401, "unauthorized", "this call needs the header 'Authorization: Bearer <token>'"
                    + " (the token is radloop.api.token, or the file api-token in the data folder)");
        }
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || !token.matches(value.substring(7).trim())) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"radloop\", error=\"invalid_token\"");
            throw new ApiProblem(401, "unauthorized", "the bearer token is not valid");
        }
    }

    record ErrorBody(String error, String reason) {
    }
}
