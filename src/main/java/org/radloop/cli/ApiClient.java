package org.radloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** A thin caller of the running engine's HTTP API for the CLI. */
final class ApiClient {

    /** The engine could not be reached or asked; the message says what to check. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** An answer from the API: its status and JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String reason() {
            String reason = body.path("reason").asText("");
            return "the engine answered " + status + (reason.isEmpty() ? "" : ": " + reason);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    Answer get(String path, Map<String, String> query) {
        return send(HttpRequest.newBuilder(uri(path, query)).GET());
    }

    Answer post(String path) {
        return send(HttpRequest.newBuilder(uri(path, Map.of())).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private URI uri(String path, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null && !v.isBlank()) q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        try {
            return URI.create(base + path + q);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("'" + base + "' is not a usable URL: " + e.getMessage());
        }
    }

    private Answer send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("Cannot reach RadLoop at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Is the engine running, and is --url right?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("Interrupted while waiting for " + base);
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Unreachable(base + " answered " + response.statusCode() + " with something that is not JSON: is it RadLoop?");
        }
        return new Answer(response.statusCode(), body);
    }
}
