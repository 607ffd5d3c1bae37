package org.radloop.learning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.cli.RadLoopCommand;
import org.radloop.engine.RadLoopEngine;
import org.radloop.support.TestEngine;
import picocli.CommandLine;

/**
 * The learning loop through a running engine: labels captured by the engine's bean, {@code radloop
 * learn retrain} and {@code export} over the API, {@code GET /api/models/{id}/versions}, approval
 * refused for a version that is not waiting, rollback, and the refusals a caller can get.
 */
class LearningApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void retrainExportVersionsApprovalAndRollbackThroughTheApiAndTheCli() throws Exception {
        Path data = dir.resolve("data");
        Path conf = LearningFixture.engineConf(dir, data, 10, 1, LearningLoopTest.AUTOMATIC);
        Properties p = TestEngine.settings(data);
        p.setProperty("radloop.conf.dir", conf.toString());
        try (RadLoopEngine engine = TestEngine.start(p)) {
            Learning learning = engine.camel().getRegistry().lookupByNameAndType("learning", Learning.class);
            assertThat(engine.camel().getRoute("learning-schedule")).as("the timer route is loaded").isNotNull();
            LearningFixture f = new LearningFixture(dir, engine.store(), engine.models(), learning, "st-marys");
            String base = "http://127.0.0.1:" + p.getProperty("radloop.http.port");
            String token = p.getProperty("radloop.api.token");
            String model = LearningFixture.MODEL;
            // Before any signed study there is nothing to learn from: a clear refusal, no candidate.
            assertThat(post(base + "/api/models/" + model + "/retrain", token, 409).path("reason").asText())
                    .contains("need both studies with and without the finding");
            f.triageAndSign(f.batch(5000, 40));

            StringWriter out = new StringWriter();
            int code = cli(out, "learn", "retrain", "--model", model, "--url", base, "--token", token);
            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).contains("Candidate 1.1.0 of " + model).contains("Promoted").contains("Model card:");
            assertThat(engine.models().spec(model).orElseThrow().version()).isEqualTo("1.1.0");

            JsonNode versions = get(base + "/api/models/" + model + "/versions", token, 200);
            assertThat(versions.path("inService").asText()).isEqualTo("1.1.0");
            assertThat(versions.path("versions")).hasSize(2);
            assertThat(versions.path("versions").get(0).path("state").asText()).isEqualTo("RETIRED");
            assertThat(versions.path("versions").get(1).path("state").asText()).isEqualTo("CURRENT");
            assertThat(versions.path("versions").get(1).path("evaluation").path("candidate").path("auc").asDouble()).isPositive();
            JsonNode monitoring = versions.path("monitoring");
            assertThat(monitoring.get(0).path("version").asText()).isEqualTo("1.0.0");
            assertThat(monitoring.get(0).path("studies").asLong()).isEqualTo(40);

            // Refusals: approving a version that is not waiting, an unknown model, no token, a bad export name.
            assertThat(post(base + "/api/models/" + model + "/versions/1.0.0/approve", token, 409).path("reason").asText())
                    .contains("not WAITING_APPROVAL");
            assertThat(post(base + "/api/models/" + model + "/versions/9.9.9/approve", token, 404).path("reason").asText())
                    .contains("no version 9.9.9");
            get(base + "/api/models/no-such-model/versions", token, 404);
            get(base + "/api/models/" + model + "/versions", null, 401);
            post(base + "/api/learning/export?name=..%2Fescape", token, 400);

            // Rollback through the CLI: the engine serves 1.0.0 again without a restart.
            out = new StringWriter();
            assertThat(cli(out, "learn", "rollback", "--model", model, "--by", "dr-lead", "--url", base, "--token", token))
                    .as(out.toString()).isZero();
            assertThat(engine.models().spec(model).orElseThrow().version()).isEqualTo("1.0.0");
            assertThat(get(base + "/api/models/" + model + "/versions", token, 200).path("inService").asText()).isEqualTo("1.0.0");

            out = new StringWriter();
            assertThat(cli(out, "learn", "export", "--name", "first", "--url", base, "--token", token)).as(out.toString()).isZero();
            Path labels = data.resolve("learning/dataset/first/labels.csv");
            assertThat(labels).isRegularFile();
            assertThat(Files.readAllLines(labels)).hasSize(41);
            assertThat(out.toString()).contains("Exported 40 labels and 240 de-identified DICOM files")
                    .contains("to " + data.resolve("learning/dataset/first"));
            // Every study without a bleed gives its whole series (8 slices), every study with one its 4 bleed slices.
        }
    }

    private static int cli(StringWriter out, String... args) {
        CommandLine cmd = new CommandLine(new RadLoopCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        return cmd.execute(args);
    }

    private JsonNode get(String url, String token, int status) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), token, status);
    }

    private JsonNode post(String url, String token, int status) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()), token, status);
    }

    private JsonNode send(HttpRequest.Builder b, String token, int status) throws Exception {
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
