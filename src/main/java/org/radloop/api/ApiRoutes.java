package org.radloop.api;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.DicomInstanceIndexer;
import org.radloop.ingest.DicomQuarantine;

/**
 * RadLoop's HTTP API on the engine's platform-http (Vert.x) server:
 * <ul>
 * <li>{@code GET /health}: broker, database and listeners; 200 when up, 503 when not. Open.</li>
 * <li>{@code GET /metrics}: Prometheus text. Open unless {@code radloop.metrics.token.required=true}.</li>
 * <li>{@code GET /api/messages}, {@code GET /api/messages/{id}}, {@code POST /api/messages/{id}/replay},
 * {@code GET /api/orders/{accession}}, {@code GET /api/facilities}: bearer token required.</li>
 * <li>{@code GET /api/studies}, {@code GET /api/studies/{studyUid}}, {@code GET /api/quarantine},
 * {@code POST /api/quarantine/{id}/retry} ({@link StudyApi}): bearer token required.</li>
 * <li>{@code GET /api/worklist} ({@link Worklist}), {@code GET /api/models} ({@link ModelListing}): bearer token required.</li>
 * <li>radiologists, worklists, cases and reports ({@link RoutingApi}): bearer token required.</li>
 * <li>{@code /api/critical-results...} and the acknowledgement links {@code GET /ack/{token}} ({@link CriticalResultApi}).</li>
 * </ul>
 * Health stays open because load balancers and monitors probe it without credentials and it
 * reveals no patient data.
 */
public final class ApiRoutes extends RouteBuilder {

    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final RadLoopEngine engine;

    public ApiRoutes(RadLoopEngine engine) {
        this.engine = engine;
    }

    @Override
    public void configure() {
        ApiToken token = ApiToken.resolve(engine.settings());
        ApiToken metricsToken = engine.settings().getBoolean("radloop.metrics.token.required", false) ? token : null;
        HealthCheck health = new HealthCheck(engine);
        MessageSearch messages = new MessageSearch(engine.store());
        OrderLookup orders = new OrderLookup(engine.store());
        FacilityListing facilities = new FacilityListing(engine.facilities());
        ReplayRequest replays = new ReplayRequest(getContext(), messages);

        serve("api-health", "/health", new JsonEndpoint(GET, null, request -> {
            HealthCheck.Report report = health.report();
            return JsonEndpoint.Reply.json(report.up() ? 200 : 503, report);
        }));
        serve("api-metrics", "/metrics", new JsonEndpoint(GET, metricsToken,
                request -> new JsonEndpoint.Reply(200, PROMETHEUS_TEXT, engine.metrics().registry().scrape())));
        serve("api-messages", "/api/messages", new JsonEndpoint(GET, token,
                request -> messages.search(MessageSearch.Filter.from(request.query(MessageSearch.LIST_PARAMETERS)))));
        serve("api-message", "/api/messages/{id}", new JsonEndpoint(GET, token, request -> {
            request.query(Set.of());
            return messages.detail(request.idParameter("id"));
        }));
        serve("api-message-replay", "/api/messages/{id}/replay", new JsonEndpoint(POST, token, request -> {
            request.query(Set.of());
            return replays.replay(request.idParameter("id"));
        }));
        serve("api-order", "/api/orders/{accession}", new JsonEndpoint(GET, token,
                request -> orders.byAccession(request.pathParameter("accession"),
                        request.query(OrderLookup.PARAMETERS).text("facility"))));
        serve("api-facilities", "/api/facilities", new JsonEndpoint(GET, token, request -> {
            request.query(Set.of());
            return facilities.list();
        }));
        StudyApi studies = new StudyApi(engine.store(),
                getContext().getRegistry().lookupByNameAndType("dicomQuarantine", DicomQuarantine.class),
                getContext().getRegistry().lookupByNameAndType("dicomInstanceIndexer", DicomInstanceIndexer.class));
        serve("api-studies", "/api/studies", new JsonEndpoint(GET, token, studies::list));
        serve("api-study", "/api/studies/{studyUid}", new JsonEndpoint(GET, token, studies::study));
        serve("api-quarantine", "/api/quarantine", new JsonEndpoint(GET, token, studies::quarantine));
        serve("api-quarantine-retry", "/api/quarantine/{id}/retry", new JsonEndpoint(POST, token, studies::retry));
        ForwardingApi.routes(this, new ForwardingApi(engine.store(), engine.clock()), token);
        Worklist worklist = new Worklist(engine.store(), engine.facilities(), engine.clock());
        serve("api-worklist", "/api/worklist", new JsonEndpoint(GET, token, worklist::list));
        ModelListing models = new ModelListing(engine.models(), engine.store());
        serve("api-models", "/api/models", new JsonEndpoint(GET, token, models::list));
        // Radiologists, worklists, cases and reports (RoutingApi).
        new RoutingApi(engine.store(), engine.clock(), getContext()).endpoints(token).forEach(e -> serve(e.routeId(), e.path(), e.endpoint()));
        CriticalResultApi.serve(this, token);
        QcApi.serve(this, token);
        DeliveryApi.serve(this, engine.store(),
                getContext().getRegistry().lookupByNameAndType("deliveryStage", org.radloop.delivery.DeliveryStage.class), token);
        new LearningApi(getContext().getRegistry().lookupByNameAndType("learning", org.radloop.learning.Learning.class),
                engine.models()).serve(this::serve, token);
        // Anything else under /api gets a JSON 404 (after the token check) instead of Vert.x's plain text.
        serve("api-unknown", "/api?matchOnUriPrefix=true", new JsonEndpoint(Set.of("GET", "POST", "PUT", "DELETE", "PATCH"), token,
                request -> {
                    throw ApiProblem.notFound("no API resource at " + request.headers().get(Exchange.HTTP_PATH));
                }));
    }

    void serve(String routeId, String path, JsonEndpoint endpoint) {
        from("platform-http:" + path).routeId(routeId).process(endpoint);
    }
}
