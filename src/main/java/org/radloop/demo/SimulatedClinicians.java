package org.radloop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The referring clinicians: they watch the open critical results (what their pagers and mail would
 * show them) and acknowledge most of them through the API after a short simulated delay; every
 * fourth one is ignored, so RadLoop's escalation along the facility's chain shows.
 */
final class SimulatedClinicians implements Runnable {

    private final DemoApi api;
    private final DemoClock clock;
    private final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<Long> ignored = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    SimulatedClinicians(DemoApi api, DemoClock clock) {
        this.api = api;
        this.clock = clock;
    }

    void stop() {
        stopped = true;
    }

    int acknowledged() {
        return acknowledged.size();
    }

    /** Critical results the ordering clinician ignored (acknowledged later by the cover after escalation, or never). */
    int ignored() {
        return ignored.size();
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                poll();
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("[demo] clinicians: " + e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void poll() throws Exception {
        DemoApi.Answer open = api.get("/api/critical-results?state=open");
        if (!open.ok()) return;
        for (JsonNode r : open.body().path("results")) {
            long id = r.path("id").asLong();
            long now = System.currentTimeMillis();
            long first = seenAt.computeIfAbsent(id, k -> now);
            if (id % 4 == 3 && r.path("currentStep").asInt(1) < 2) {
                ignored.add(id); // the ordering clinician is in theatre: the chain has to find someone else
                continue;
            }
            // Read the page, then acknowledge: three simulated minutes (after the escalation reached the cover).
            if (ignored.contains(id)) seenAt.putIfAbsent(-id, now);
            long since = ignored.contains(id) ? seenAt.get(-id) : first;
            if (now - since < clock.millisPerMinute() * 3) continue;
            DemoApi.Answer ack = api.post("/api/critical-results/" + id + "/acknowledge",
                    Map.of("by", ignored.contains(id) ? "Dr L. Cuddy (simulated covering clinician)" : "Dr G. House (simulated referring clinician)",
                            "note", "seen, acting on it"));
            if (ack.ok()) acknowledged.add(id);
        }
    }
}
