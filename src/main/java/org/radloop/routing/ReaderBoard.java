package org.radloop.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RadiologistRoster;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.ReaderAvailability;
import org.radloop.model.ReadingCase;

/**
 * Every radiologist's state at one moment, read from the roster and the store in a few queries and
 * then kept current in memory while one transaction assigns several cases (a sweep), so that a
 * reader filled by the first case is seen full by the second.
 */
final class ReaderBoard {

    private final Map<String, ReaderState> readers = new LinkedHashMap<>();

    private ReaderBoard() {
    }

    static ReaderBoard read(Session s, RadiologistRoster.Snapshot roster, Instant now) {
        Map<String, ReaderAvailability> availability = new HashMap<>();
        for (ReaderAvailability a : s.createSelectionQuery("from ReaderAvailability", ReaderAvailability.class).list()) {
            availability.put(a.getRadiologistId(), a);
        }
        Map<String, double[]> open = new HashMap<>();
        for (Object[] row : s.createSelectionQuery("select c.radiologistId, count(c), sum(c.rvu) from ReadingCase c"
                        + " where c.state in (:open) and c.radiologistId is not null group by c.radiologistId", Object[].class)
                .setParameter("open", List.of(ReadingCase.State.ASSIGNED, ReadingCase.State.OPENED)).list()) {
            open.put((String) row[0], new double[] {((Number) row[1]).doubleValue(), ((Number) row[2]).doubleValue()});
        }
        // Per reader, their newest assigned, unopened, non-critical case: what a critical case may displace.
        Map<String, Long> displaceable = new HashMap<>();
        for (Object[] row : s.createSelectionQuery("select c.radiologistId, max(c.id) from ReadingCase c where c.state = :assigned"
                        + " and c.urgency <> 'CRITICAL' group by c.radiologistId", Object[].class)
                .setParameter("assigned", ReadingCase.State.ASSIGNED).list()) {
            displaceable.put((String) row[0], (Long) row[1]);
        }
        ReaderBoard board = new ReaderBoard();
        Map<String, Instant> shiftStarts = new HashMap<>();
        Map<String, String> offReasons = new HashMap<>();
        Instant earliest = null;
        for (RadiologistConfig r : roster.all()) {
            Instant start = shiftStart(r, availability.get(r.id()), now, offReasons);
            if (start != null) {
                shiftStarts.put(r.id(), start);
                if (earliest == null || start.isBefore(earliest)) earliest = start;
            }
        }
        Map<String, Double> shiftRvu = new HashMap<>();
        if (earliest != null) {
            for (Object[] row : s.createSelectionQuery("select a.radiologistId, a.decidedAt, a.rvu from AssignmentRecord a"
                            + " where a.decidedAt >= :since and a.action in (:taken)", Object[].class)
                    .setParameter("since", earliest).setParameter("taken", AssignmentRecord.TAKEN).list()) {
                Instant start = shiftStarts.get((String) row[0]);
                if (start != null && !((Instant) row[1]).isBefore(start)) shiftRvu.merge((String) row[0], (Double) row[2], Double::sum);
            }
        }
        for (RadiologistConfig r : roster.all()) {
            double[] o = open.getOrDefault(r.id(), new double[2]);
            Instant start = shiftStarts.get(r.id());
            board.readers.put(r.id(), new ReaderState(r, start != null, offReasons.get(r.id()), start, (int) o[0], o[1],
                    shiftRvu.getOrDefault(r.id(), 0.0), displaceable.get(r.id())));
        }
        return board;
    }

    /**
     * When the reader's current shift began, or null (with the reason in {@code offReasons}) when
     * they are not reading. A hand-started shift holds until stopped; a hand-stopped one until the
     * next scheduled shift begins; away until they are back.
     */
    static Instant shiftStart(RadiologistConfig r, ReaderAvailability a, Instant now, Map<String, String> offReasons) {
        Instant scheduled = r.scheduledShiftStart(now);
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
