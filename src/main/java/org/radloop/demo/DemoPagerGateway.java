package org.radloop.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The facilities' SMS/pager gateway, simulated: a loopback HTTP endpoint that accepts RadLoop's
 * critical-result notifications (the webhook-sink JSON POST) with 200 and counts them. The
 * clinicians read their "pages" from the API, so the content is not kept.
 */
final class DemoPagerGateway implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger pages = new AtomicInteger();

    DemoPagerGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sms", exchange -> {
            exchange.getRequestBody().readAllBytes();
            pages.incrementAndGet();
            byte[] ok = "{\"status\":\"queued\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    int pages() {
        return pages.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
