package org.radloop.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.radloop.engine.RadLoopEngine;

/**
 * Whether this node can do its job: the broker and the database answer, and every listener that
 * hospitals send to (MLLP, DICOM) is running. A load balancer or monitor reads only the status code:
 * 200 when all are up, 503 when any is down.
 *
 * <p>Refused configuration files are listed but do not make the node DOWN: the previous, valid
 * configuration stays in force, so the node still serves.
 */
final class HealthCheck {

    private final RadLoopEngine engine;

    HealthCheck(RadLoopEngine engine) {
        this.engine = engine;
    }

    record Component(String status, String reason) {
        static Component of(String problem) {
            return problem == null ? new Component("UP", null) : new Component("DOWN", problem);
        }
    }

    record Listener(String route, String endpoint, String status, String reason) {
    }

    record Listeners(String status, String reason, List<Listener> routes) {
    }

    record Report(String status, Map<String, Object> components, List<FacilityListing.RefusedFile> refusedConfiguration) {
        boolean up() {
            return "UP".equals(status);
        }
    }

    Report report() {
        Component broker = Component.of(engine.broker().problem());
        Component database = Component.of(engine.store().problem());
        Listeners listeners = listeners(engine.camel());
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("broker", broker);
        components.put("database", database);
        components.put("listeners", listeners);
        boolean up = "UP".equals(broker.status()) && "UP".equals(database.status()) && "UP".equals(listeners.status());
        return new Report(up ? "UP" : "DOWN", components, FacilityListing.refused(engine.facilities()));
    }

    static Listeners listeners(CamelContext camel) {
        List<Listener> found = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (!isListener(uri)) continue;
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            boolean started = status == ServiceStatus.Started;
            found.add(new Listener(route.getRouteId(), redactQuery(uri), started ? "UP" : "DOWN",
                    started ? null : "route " + route.getRouteId() + " is " + status));
        }
        found.sort(Comparator.comparing(Listener::route));
        List<String> down = found.stream().filter(l -> !"UP".equals(l.status())).map(Listener::route).toList();
        return new Listeners(down.isEmpty() ? "UP" : "DOWN",
                down.isEmpty() ? null : "listener(s) not running: " + String.join(", ", down), found);
    }

    /** MLLP (HL7) and DICOM consumers are what the hospitals' systems connect to. */
    static boolean isListener(String uri) {
        String scheme = uri.toLowerCase(Locale.ROOT);
        return scheme.startsWith("mllp:") || scheme.startsWith("dicom:");
    }

    /** Endpoint options can carry credentials; the scheme, host and port are what an operator needs. */
    private static String redactQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
