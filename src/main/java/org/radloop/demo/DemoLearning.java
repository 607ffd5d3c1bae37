package org.radloop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.radloop.engine.RadLoopEngine;

/**
 * The end of the loop: once the sign-offs have become training labels (the improve stage), each
 * demonstration model is retrained through the API ({@code POST /api/models/{id}/retrain}) and the
 * candidate is weighed against the version in service on the same held-out labels; the model's
 * policy promotes it or holds it. The numbers are reported whichever way they come out.
 */
final class DemoLearning {

    /** One model's outcome. {@code refused} says why no candidate was trained (too few labels, say). */
    record ModelOutcome(String model, long labels, String versionBefore, String candidate, String state, Boolean promoted,
                        Double aucBefore, Double aucAfter, Double sensBefore, Double sensAfter, Double specBefore,
                        Double specAfter, Integer holdoutLabels, String refused, List<String[]> versions) {
    }

    record Result(List<ModelOutcome> models) {
    }

    private final RadLoopEngine engine;
    private final DemoApi api;
    private final PrintStream out;

    DemoLearning(RadLoopEngine engine, DemoApi api, PrintStream out) {
        this.engine = engine;
        this.api = api;
        this.out = out;
    }

    Result retrainAll(List<String> models, List<DemoStudy> studies) throws Exception {
        waitForLabelsToSettle();
        long missed = studies.stream().filter(s -> s.aiMissedAdded > 0).count();
        if (missed > 0) out.println("[demo] " + missed + " finding(s) the AI missed, added by the radiologists at sign-off");
        List<ModelOutcome> outcomes = new ArrayList<>();
        for (String model : models) {
            long labels = labels(model);
            DemoApi.Answer before = api.get("/api/models/" + model + "/versions");
            String inService = before.body().path("inService").asText(null);
            out.println("[demo] retraining " + model + " on " + labels + " label(s) from the radiologists' sign-offs ...");
            DemoApi.Answer r = api.post("/api/models/" + model + "/retrain", null);
            List<String[]> versions = versions(model);
            if (!r.ok()) {
                String why = r.status() + ": " + r.body().path("reason").asText(r.body().path("message").asText(r.body().toString()));
                outcomes.add(new ModelOutcome(model, labels, inService, null, null, null, null, null, null, null, null, null,
                        null, why, versions));
                continue;
            }
            JsonNode b = r.body();
            JsonNode cur = b.path("evaluation").path("current");
            JsonNode cand = b.path("evaluation").path("candidate");
            outcomes.add(new ModelOutcome(model, labels, inService, b.path("version").asText(), b.path("state").asText(),
                    b.path("promoted").asBoolean(), DemoRun.number(cur.get("auc")), DemoRun.number(cand.get("auc")),
                    DemoRun.number(cur.get("sensitivity")), DemoRun.number(cand.get("sensitivity")),
                    DemoRun.number(cur.get("specificity")), DemoRun.number(cand.get("specificity")),
                    b.hasNonNull("holdoutLabels") ? b.get("holdoutLabels").asInt() : null, null, versions));
        }
        return new Result(outcomes);
    }

    private List<String[]> versions(String model) throws Exception {
        List<String[]> list = new ArrayList<>();
        for (JsonNode v : api.get("/api/models/" + model + "/versions").body().path("versions")) {
            JsonNode e = v.path("evaluation");
            list.add(new String[] {v.path("version").asText(), v.path("state").asText(),
                    e.path("candidate").path("auc").isNumber() ? String.format(java.util.Locale.ROOT, "%.3f", e.path("candidate").path("auc").asDouble()) : ""});
        }
        return list;
    }

    /** The improve stage runs after each signature; wait until the label count has stopped moving. */
    private void waitForLabelsToSettle() throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 40; i++) {
            long now = labels(null);
            if (now == previous && now > 0) return;
            previous = now;
            Thread.sleep(500);
        }
    }

    private long labels(String model) {
        try {
            Long n = engine.store().fromTransaction(s -> (model == null
                    ? s.createSelectionQuery("select count(*) from TrainingLabel", Long.class)
                    : s.createSelectionQuery("select count(*) from TrainingLabel where modelId = :m", Long.class).setParameter("m", model))
                    .getSingleResult());
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
