package org.radloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.radloop.api.ApiClientSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.support.TestEngine;

/**
 * An engine started without {@code radloop.api.token}: it makes its own token, and the CLI on the same
 * machine finds the engine and the token with no options; /metrics is set to need the token. Last, its database goes away and health
 * says so (that ends this engine's usefulness, hence the order).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedTokenAndOutageTest {

    @TempDir
    static Path data;
    @TempDir
    static Path home;

    static RadLoopEngine engine;
    static String port;

    @BeforeAll
    static void startWithoutToken() throws Exception {
        Properties settings = TestEngine.settings(data);
        settings.setProperty("radloop.api.token", "");
        settings.setProperty("radloop.metrics.token.required", "true");
        engine = TestEngine.start(settings);
        port = engine.settings().get("radloop.http.port", null);
    }

    @AfterAll
    static void stop() {
        if (engine != null) engine.close();
    }

    @Test
    @Order(1)
    void aGeneratedTokenIsWrittenForTheOwnerOnlyAndIsTheOneThatWorks() throws Exception {
        Path file = data.resolve("api-token");
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = Files.readString(file).trim();
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);

        ApiClientSupport api = new ApiClientSupport(engine);
        assertThat(api.getWithToken("/api/facilities", token).statusCode()).isEqualTo(200);
        assertThat(api.getWithToken("/api/facilities", "").statusCode()).isEqualTo(401);
        assertThat(api.getWithToken("/api/facilities", token.substring(1)).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(1)
    void metricsNeedTheTokenWhenConfiguredSo() throws Exception {
        String token = Files.readString(data.resolve("api-token")).trim();
        ApiClientSupport api = new ApiClientSupport(engine);
        assertThat(api.getWithout("/metrics").statusCode()).isEqualTo(401);
        HttpResponse<String> r = api.getWithToken("/metrics", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("radloop_queue_depth{queue=\"radloop.ingest\"}");
        // Health stays open whatever the metrics setting.
        assertThat(api.getWithout("/health").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void theCliFindsTheEngineAndItsTokenFromTheSettingsFile() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/radloop.properties"),
                "radloop.data.dir=" + data.toAbsolutePath() + "\nradloop.http.port=" + port + "\nradloop.api.token=\n");
        HttpApiTest.Cli cli = HttpApiTest.Cli.run("messages", "list", "--home", home.toString());
        assertThat(cli.err()).isEmpty();
        assertThat(cli.code()).isZero();
        assertThat(cli.out()).contains("No messages match.");
    }

    @Test
    @Order(3)
    void healthIsDownWhenTheDatabaseIsGone() throws Exception {
        ApiClientSupport api = new ApiClientSupport(engine);
        assertThat(api.getWithout("/health").statusCode()).isEqualTo(200);

        engine.store().close();

        HttpResponse<String> r = api.getWithout("/health");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode h = json(r);
        assertThat(h.path("status").asText()).isEqualTo("DOWN");
        assertThat(h.at("/components/database/status").asText()).isEqualTo("DOWN");
        assertThat(h.at("/components/database/reason").asText()).contains("database");
        assertThat(h.at("/components/broker/status").asText()).isEqualTo("UP");
    }
}
