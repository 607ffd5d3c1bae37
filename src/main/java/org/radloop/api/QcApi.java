package org.radloop.api;

import static org.radloop.api.ApiJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.radloop.qc.QcOverride;

/**
 * The QC stage over HTTP (bearer token): {@code POST /api/reports/{id}/qc-override} with
 * {@code {"by", "reason"}} releases a report QC blocked to delivery; 400 without a reason, 404 for an
 * unknown report, 409 when the report is not blocked (or was edited since). The QC results
 * themselves are in {@code GET /api/reports/{id}} ("qc").
 */
final class QcApi {

    private QcApi() {
    }

    static void serve(ApiRoutes routes, ApiToken token) {
        QcOverride override = routes.getContext().getRegistry().lookupByNameAndType("qcOverride", QcOverride.class);
        routes.serve("api-report-qc-override", "/api/reports/{id}/qc-override", new JsonEndpoint(Set.of("POST"), token, r -> {
            r.query(Set.of());
            JsonNode b = r.jsonBody();
            return override.override(r.idParameter("id"), text(b, "by"), text(b, "reason"));
        }));
    }
}
