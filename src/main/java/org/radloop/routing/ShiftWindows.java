package org.radloop.routing;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.radloop.config.RadiologistConfig;

/**
 * Every reader's scheduled shift start, remembered until the next shift boundary: every decision
 * reads the whole roster's shifts, and working them out from the weekly schedule and time zone was a
 * third of the board read. An answer is reused only while {@code now} lies between the instant it
 * was worked out for and the reader's next shift start, end or local midnight
 * ({@link RadiologistConfig#nextShiftBoundary}), and only for the same roster entry (a reloaded
 * roster is worked out again), so it is always the answer {@link RadiologistConfig#scheduledShiftStart} gives.
 */
final class ShiftWindows {

    private record Window(RadiologistConfig config, Instant from, Instant until, Instant start) {
    }

    private final Map<String, Window> byReader = new ConcurrentHashMap<>();

    /** As {@link RadiologistConfig#scheduledShiftStart}(now). */
    Instant scheduledStart(RadiologistConfig r, Instant now) {
        Window w = byReader.get(r.id());
        if (w != null && w.config() == r && !now.isBefore(w.from()) && now.isBefore(w.until())) return w.start();
        Instant start = r.scheduledShiftStart(now);
        byReader.put(r.id(), new Window(r, now, r.nextShiftBoundary(now), start));
        return start;
    }
}
