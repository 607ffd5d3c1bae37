package org.radloop.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RadiologistRoster;
import org.radloop.model.ReaderAvailability;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;

/**
 * Every radiologist's state at one moment: the roster, their availability and their open work as
 * {@code reader_load} keeps it (one row per reader, see {@link ReaderLoads}: no count over the open
 * cases), kept current in memory while one transaction assigns several cases (a sweep), so that a
 * reader filled by the first case is seen full by the second. What a critical case may displace is
 * read only when a critical case finds every qualified reader full ({@link #withDisplaceable}).
 */
final class ReaderBoard {

    private final Map<String, ReaderState> readers = new LinkedHashMap<>();
    private final java.util.Set<String> displaceableRead = new java.util.HashSet<>();

    private ReaderBoard() {
    }

    static ReaderBoard read(Session s, RadiologistRoster.Snapshot roster, ShiftWindows shifts, Instant now) {
        Map<String, ReaderAvailability> availability = new HashMap<>();
        for (ReaderAvailability a : s.createSelectionQuery("from ReaderAvailability", ReaderAvailability.class).list()) {
            availability.put(a.getRadiologistId(), a);
        }
        Map<String, ReaderLoads.Load> loads = ReaderLoads.all(s);
        ReaderBoard board = new ReaderBoard();
        Map<String, String> offReasons = new HashMap<>();
        for (RadiologistConfig r : roster.all()) {
            Instant start = shiftStart(r, shifts.scheduledStart(r, now), availability.get(r.id()), offReasons);
            board.readers.put(r.id(), state(r, start, offReasons.get(r.id()), loads.get(r.id())));
        }
        return board;
    }

    /** RVUs this shift count only when the row's shift is the current one: a new shift starts at zero. */
    private static ReaderState state(RadiologistConfig r, Instant start, String offReason, ReaderLoads.Load load) {
        int cases = load == null ? 0 : load.openCases();
        double rvu = load == null ? 0 : load.openRvu();
        double shiftRvu = load != null && start != null && start.equals(load.shiftStart()) ? load.shiftRvu() : 0;
        return new ReaderState(r, start != null, offReason, start, cases, rvu, shiftRvu, null);
    }

    /** The reader's row as committed now, after a conditional take found them full (another node filled them). */
    void reread(Session s, String id) {
        readers.computeIfPresent(id, (k, r) -> state(r.config(), r.shiftStart(), r.offShiftReason(), ReaderLoads.of(s, id)));
    }

    /**
     * Reads, for these readers, their newest assigned, unopened, non-critical case: what a critical
     * case may push back to the queue when they are full. One indexed query, only when needed, once
     * per reader and board.
     *
     * @return whether anything was read (the decision is then worth making again)
     */
    boolean withDisplaceable(Session s, Collection<String> ids) {
        List<String> unread = ids.stream().filter(displaceableRead::add).toList();
        if (unread.isEmpty()) return false;
        for (Object[] row : s.createSelectionQuery("select c.radiologistId, max(c.id) from ReadingCase c where c.radiologistId in (:ids)"
                        + " and c.state = :assigned and c.urgency <> 'CRITICAL' group by c.radiologistId", Object[].class)
                .setParameter("ids", unread).setParameter("assigned", ReadingCase.State.ASSIGNED).list()) {
            readers.computeIfPresent((String) row[0], (k, r) -> new ReaderState(r.config(), r.onShift(), r.offShiftReason(),
                    r.shiftStart(), r.openCases(), r.openRvu(), r.shiftRvu(), (Long) row[1]));
        }
        return true;
    }

    /**
     * When the reader's current shift began, or null (with the reason in {@code offReasons}) when
     * they are not reading. A hand-started shift holds until stopped; a hand-stopped one until the
     * next scheduled shift begins; away until they are back.
     */
    static Instant shiftStart(RadiologistConfig r, Instant scheduled, ReaderAvailability a, Map<String, String> offReasons) {
        ReaderAvailability.Status status = a == null ? ReaderAvailability.Status.SCHEDULED : a.getStatus();
        switch (status) {
            case ON_SHIFT:
                return a.getSince();
            case AWAY:
                offReasons.put(r.id(), "away since " + a.getSince());
                return null;
            case OFF_SHIFT:
                if (scheduled != null && scheduled.isAfter(a.getSince())) return scheduled;
                offReasons.put(r.id(), "stopped the shift at " + a.getSince());
                return null;
            default:
                if (scheduled == null) offReasons.put(r.id(), "no scheduled shift now (" + r.timeZone() + ")");
                return scheduled;
        }
    }

    List<ReaderState> all() {
        return new ArrayList<>(readers.values());
    }

    ReaderState get(String id) {
        return readers.get(id);
    }

    void took(String id, double rvu) {
        readers.computeIfPresent(id, (k, r) -> r.plus(rvu));
    }

    void gaveBack(String id, double rvu) {
        readers.computeIfPresent(id, (k, r) -> r.minus(rvu));
    }

    /** After a displacement the reader has no more displaceable case known in this pass. */
    void displaced(String id) {
        readers.computeIfPresent(id, (k, r) -> new ReaderState(r.config(), r.onShift(), r.offShiftReason(), r.shiftStart(),
                r.openCases(), r.openRvu(), r.shiftRvu(), null));
    }
}
