package org.radloop.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server standing in for a hospital's SMS/pager gateway: it keeps every JSON message
 * RadLoop POSTs to it and answers with the status the test sets (200, or 503 for a gateway outage),
 * at once or, while held, only when released (a slow gateway).
 */
public final class SmsGateway implements AutoCloseable {

    public record Received(String method, String contentType, JsonNode body) {
        public String to() { return body.path("to").asText(); }
        public String message() { return body.path("message").asText(); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    private final List<String> held = new CopyOnWriteArrayList<>();

    public SmsGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sms", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            CountDownLatch release = hold.get();
            if (release != null) {
                held.add(new String(in, StandardCharsets.UTF_8));
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status.get();
            if (answer == 200) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        JSON.readTree(new String(in, StandardCharsets.UTF_8))));
            } else {
                refused.incrementAndGet();
            }
            byte[] out = (answer == 200 ? "{\"queued\":true}" : "{\"error\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    public void answer(int httpStatus) {
        status.set(httpStatus);
    }

    /** From now on each message waits (at most a minute) before it is answered, until {@link #release()}. */
    public void hold() {
        hold.set(new CountDownLatch(1));
    }

    public void release() {
        CountDownLatch h = hold.getAndSet(null);
        if (h != null) h.countDown();
    }

    /** Whether a held message mentions the accession number. */
    public boolean holding(String accession) {
        return held.stream().anyMatch(m -> m.contains(accession));
    }

    public int refusedCount() {
        return refused.get();
    }

    /** Messages accepted so far whose text mentions the given accession number. */
    public List<Received> about(String accession) {
        return received.stream().filter(r -> r.message().contains(accession)).toList();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
