package org.radloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.CaseInsensitiveMap;
import org.radloop.delivery.CriticalResultAcknowledgement;
import org.radloop.delivery.CriticalResults;

/**
 * Critical results over HTTP:
 * <ul>
 *   <li>{@code GET /api/critical-results?state=open|acknowledged&facility=&limit=}: with notifications and timelines</li>
 *   <li>{@code GET /api/critical-results/{id}}</li>
 *   <li>{@code POST /api/critical-results/{id}/acknowledge} with {@code {"by": "...", "note": "..."}}</li>
 *   <li>{@code GET /ack/{token}}: the single-use link of a notification. No bearer token: the link is the
 *       credential. Answers a small HTML page, or JSON when the client asks for application/json. Where
 *       the facility's directory sets {@code links.confirm}, GET shows a button and
 *       {@code POST /ack/{token}} (the button) acknowledges; POST always acknowledges.</li>
 * </ul>
 */
final class CriticalResultApi {

    static final Set<String> LIST_PARAMETERS = Set.of("state", "facility", "limit");

    private CriticalResultApi() {
    }

    /** Adds the routes to the API's builder; called before its catch-all so that these paths win. */
    static void serve(RouteBuilder routes, ApiToken token) {
        CriticalResults critical = routes.getContext().getRegistry().lookupByNameAndType("criticalResults", CriticalResults.class);
        routes.from("platform-http:/api/critical-results").routeId("api-critical-results")
                .process(new JsonEndpoint(Set.of("GET"), token, request -> list(critical, request)));
        routes.from("platform-http:/api/critical-results/{id}").routeId("api-critical-result")
                .process(new JsonEndpoint(Set.of("GET"), token, request -> {
                    request.query(Set.of());
                    Map<String, Object> detail = critical.timeline().detail(request.idParameter("id"));
                    if (detail == null) throw ApiProblem.notFound("no critical result " + request.pathParameter("id"));
                    return detail;
                }));
        routes.from("platform-http:/api/critical-results/{id}/acknowledge").routeId("api-critical-result-acknowledge")
                .process(new JsonEndpoint(Set.of("POST"), token, request -> acknowledge(critical, request)));
        routes.from("platform-http:/ack/{token}").routeId("critical-result-ack-link")
                .process(e -> ackLink(critical.acknowledgement(), e));
    }

    private static Object list(CriticalResults critical, JsonEndpoint.ApiRequest request) {
        QueryParameters q = request.query(LIST_PARAMETERS);
        String state = q.text("state");
        Boolean open = null;
        if (state != null) {
            open = switch (state) {
                case "open" -> true;
                case "acknowledged", "closed" -> false;
                default -> throw ApiProblem.badRequest("parameter 'state' must be open or acknowledged, not '" + state + "'");
            };
        }
        var results = critical.timeline().list(open, q.text("facility"), q.integer("limit", 100, 1, 1000));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", results.size());
        body.put("results", results);
        body.put("configurationProblems", critical.config().refused().values().stream().flatMap(l -> l.stream())
                .map(Object::toString).toList());
        return body;
    }

    private static Object acknowledge(CriticalResults critical, JsonEndpoint.ApiRequest request) {
        request.query(Set.of());
        long id = request.idParameter("id");
        JsonNode body = request.jsonBody();
        String by = body.hasNonNull("by") ? body.get("by").asText().trim() : null;
        if (by == null || by.isEmpty()) {
            throw ApiProblem.badRequest("say who received the result: {\"by\": \"<name or id>\", \"note\": \"optional\"}");
        }
        if (by.length() > 200) throw ApiProblem.badRequest("'by' is longer than 200 characters");
        String note = body.hasNonNull("note") ? body.get("note").asText() : null;
        CriticalResultAcknowledgement.Outcome outcome = critical.acknowledgement().byApi(id, by, note);
        if (!outcome.acknowledged()) throw new ApiProblem(outcome.status(), outcome.error(), outcome.message());
        return critical.timeline().detail(id);
    }

    private static void ackLink(CriticalResultAcknowledgement acknowledgement, Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> headers = new CaseInsensitiveMap(in.getHeaders());
        in.removeHeaders("*");
        String method = String.valueOf(headers.get(Exchange.HTTP_METHOD));
        boolean json = String.valueOf(headers.get("Accept")).contains("application/json");
        CriticalResultAcknowledgement.Outcome outcome;
        Object token = headers.get("token");
        if (!method.equals("GET") && !method.equals("POST")) {
            in.setHeader("Allow", "GET, POST");
            outcome = new CriticalResultAcknowledgement.Outcome(405, "method_not_allowed", "open the link with GET", null);
        } else {
            outcome = acknowledgement.byLink(token == null ? null : token.toString(), method.equals("POST"));
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, outcome.status());
        // The page must not be cached: a second visit has to ask the engine again.
        in.setHeader("Cache-Control", "no-store");
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("acknowledged", outcome.acknowledged());
            if (outcome.confirm()) body.put("confirm", "POST to this URL to acknowledge");
            if (outcome.error() != null) body.put("error", outcome.error());
            body.put(outcome.acknowledged() ? "message" : "reason", outcome.message());
            body.put("criticalResult", outcome.criticalResultId());
            in.setHeader(Exchange.CONTENT_TYPE, JsonEndpoint.JSON);
            in.setBody(ApiJson.write(body));
        } else {
            in.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            String title = outcome.acknowledged() ? "Critical result acknowledged"
                    : outcome.confirm() ? "Acknowledge critical result" : "Acknowledgement refused";
            in.setBody("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title>"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body><h1>" + title
                    + "</h1><p>" + escape(outcome.message()) + "</p>"
                    // The token is base64url (checked before it got here): safe in the form's action.
                    + (outcome.confirm() ? "<form method=\"post\" action=\"/ack/" + token + "\"><button type=\"submit\">"
                            + "Acknowledge</button></form>" : "")
                    + (outcome.error() == null ? "" : "<p><small>" + outcome.status() + " " + outcome.error() + "</small></p>")
                    + "</body></html>");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
