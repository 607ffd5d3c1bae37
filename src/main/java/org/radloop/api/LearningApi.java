package org.radloop.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.radloop.learning.Learning;
import org.radloop.learning.Retrainer;
import org.radloop.model.ModelVersion;
import org.radloop.triage.ModelRegistry;

/**
 * The learning loop over HTTP, behind the API's bearer token:
 * <ul>
 *   <li>{@code GET /api/models/{id}/versions}: every version with its state, measured numbers, the
 *   policy's decision, shadow agreement and monitoring figures (volume, latency, sensitivity, PPV)</li>
 *   <li>{@code POST /api/models/{id}/versions/{version}/approve?by=}: a waiting candidate goes into service</li>
 *   <li>{@code POST /api/models/{id}/rollback?version=&by=}: back to the named version, or the previous one</li>
 *   <li>{@code POST /api/models/{id}/retrain}: train a candidate now (what {@code radloop learn retrain} calls)</li>
 *   <li>{@code POST /api/learning/export?name=}: write the de-identified dataset (what {@code radloop learn export} calls)</li>
 * </ul>
 */
final class LearningApi {

    @FunctionalInterface
    interface Server {
        void serve(String routeId, String path, JsonEndpoint endpoint);
    }

    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");

    private final Learning learning;
    private final ModelRegistry models;

    LearningApi(Learning learning, ModelRegistry models) {
        this.learning = learning;
        this.models = models;
    }

    void serve(Server server, ApiToken token) {
        if (learning == null) return;
        server.serve("api-model-versions", "/api/models/{id}/versions", new JsonEndpoint(GET, token, this::versions));
        server.serve("api-model-approve", "/api/models/{id}/versions/{version}/approve", new JsonEndpoint(POST, token, this::approve));
        server.serve("api-model-rollback", "/api/models/{id}/rollback", new JsonEndpoint(POST, token, this::rollback));
        server.serve("api-model-retrain", "/api/models/{id}/retrain", new JsonEndpoint(POST, token, this::retrain));
        server.serve("api-learning-export", "/api/learning/export", new JsonEndpoint(POST, token, this::export));
    }

    private String model(JsonEndpoint.ApiRequest request) {
        String id = request.pathParameter("id");
        if (models.spec(id).isEmpty()) throw ApiProblem.notFound("no model " + id + " (see conf/models/)");
        return id;
    }

    Object versions(JsonEndpoint.ApiRequest request) throws Exception {
        request.query(Set.of());
        String id = model(request);
        learning.versions().current(id);
        List<Map<String, Object>> versions = new ArrayList<>();
        for (ModelVersion v : learning.versions().list(id)) versions.add(describe(v));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", id);
        body.put("inService", models.spec(id).map(s -> s.version()).orElse(null));
        body.put("versions", versions);
        body.put("shadow", learning.shadow().agreement(id));
        body.put("monitoring", learning.monitor().figures(id));
        return body;
    }

    private static Map<String, Object> describe(ModelVersion v) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.getVersion());
        m.put("state", v.getState());
        m.put("trainedFrom", v.getTrainedFrom());
        m.put("trainingLabels", v.getTrainingLabels());
        m.put("holdoutLabels", v.getHoldoutLabels());
        m.put("shadow", v.isShadow());
        m.put("createdAt", v.getCreatedAt());
        m.put("decidedAt", v.getDecidedAt());
        m.put("decidedBy", v.getDecidedBy());
        m.put("decision", v.getDecision());
        m.put("modelCard", v.getCardPath());
        m.put("evaluation", v.getEvaluation() == null ? null : ApiJson.MAPPER.readTree(v.getEvaluation()));
        return m;
    }

    Object approve(JsonEndpoint.ApiRequest request) throws Exception {
        String by = by(request.query(Set.of("by")));
        String id = model(request);
        return act(() -> describe(learning.versions().approve(id, request.pathParameter("version"), by)));
    }

    Object rollback(JsonEndpoint.ApiRequest request) throws Exception {
        QueryParameters q = request.query(Set.of("version", "by"));
        String id = model(request);
        return act(() -> describe(learning.versions().rollback(id, q.text("version"), by(q))));
    }

    Object retrain(JsonEndpoint.ApiRequest request) throws Exception {
        request.query(Set.of());
        String id = model(request);
        return act(() -> {
            Retrainer.Outcome o = learning.retrainer().retrain(id, "on demand");
            Map<String, Object> body = describe(o.candidate());
            body.put("promoted", o.promoted());
            return body;
        });
    }

    Object export(JsonEndpoint.ApiRequest request) throws Exception {
        QueryParameters q = request.query(Set.of("name"));
        String name = q.text("name");
        // Only a folder name under <data>/learning/dataset: the API never writes where a caller points it.
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw ApiProblem.badRequest("parameter 'name' must be a folder name (letters, digits, . _ -), not '" + name + "'");
        }
        Path out = name == null ? learning.export().defaultDirectory() : learning.export().defaultDirectory().resolveSibling(name);
        var done = learning.export().export(out);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("directory", done.directory().toString());
        body.put("labelsFile", done.labelsFile().toString());
        body.put("labels", done.labels());
        body.put("files", done.files());
        body.put("skipped", done.skipped());
        body.put("reportEdits", done.reportEdits());
        body.put("qcOverrides", done.qcOverrides());
        return body;
    }

    private static String by(QueryParameters q) {
        String by = q.text("by");
        return by == null || by.isBlank() ? "api" : by;
    }

    @FunctionalInterface
    private interface Action {
        Object run() throws Exception;
    }

    /** Unknown version: 404; a state that forbids the act or too few labels: 409 with the reason. */
    private static Object act(Action action) throws Exception {
        try {
            return action.run();
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiProblem(409, "conflict", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(422, "unprocessable", e.getMessage());
        }
    }
}
