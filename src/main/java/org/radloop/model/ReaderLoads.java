package org.radloop.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.Session;

/**
 * Each radiologist's open work (assigned and opened, unsigned cases, and their RVUs) as the table
 * {@code reader_load} keeps it: changed in the same transaction as the case, by whoever changes who
 * has a case (routing, signing, QC), so that reading every reader's load is one row each instead of
 * a count over every open case; and the place where capacity holds across nodes, because taking a
 * case is a conditional update of the reader's row (see {@link #take}).
 *
 * <p>{@link #check} recounts from the cases themselves: the sweep runs it now and then and repairs
 * (and reports) any drift, so a bug or a hand edit cannot leave a reader wrongly full or empty.
 */
public final class ReaderLoads {

    /** One reader's row: open cases and RVUs, and RVUs taken since {@code shiftStart}. */
    public record Load(String radiologistId, int openCases, double openRvu, Instant shiftStart, double shiftRvu) {
    }

    private ReaderLoads() {
    }

    /**
     * Applies a change to a case ({@code change} runs the entity's method) and follows it in the
     * load of the reader it left and of the reader it went to. No capacity check: signing, QC and
     * people's own choices (claim, an administrator's reassign) are not refused for being busy.
     */
    public static void follow(Session s, ReadingCase c, Instant now, Runnable change) {
        String before = c.isOpen() ? c.getRadiologistId() : null;
        change.run();
        String after = c.isOpen() ? c.getRadiologistId() : null;
        if (Objects.equals(before, after)) return;
        if (before != null) add(s, before, -1, -c.getRvu(), now);
        if (after != null) add(s, after, 1, c.getRvu(), now);
    }

    /**
     * Puts a case on the reader's load only while they are under capacity, as one conditional update:
     * on PostgreSQL a second node's update waits for the first to commit and then sees its count, so
     * two nodes can never both take the last place.
     *
     * @param rvuCap whether the hour-of-work limit applies too (not for a critical preemption, which
     *               has already displaced a case to make room)
     * @return false when the reader is (now) full; nothing changed
     */
    public static boolean take(Session s, String radiologistId, double rvu, Instant shiftStart, int maxOpenCases,
                               double rvuPerHour, boolean rvuCap, Instant now) {
        var q = s.createNativeMutationQuery("update reader_load set open_cases = open_cases + 1, open_rvu = open_rvu + :rvu,"
                        + " shift_rvu = case when shift_start = :start then shift_rvu + :rvu else :rvu end, shift_start = :start,"
                        + " updated_at = :now where radiologist_id = :r and open_cases < :max"
                        + (rvuCap ? " and open_rvu < :cap" : ""))
                .setParameter("rvu", rvu).setParameter("start", shiftStart, Instant.class).setParameter("now", now, Instant.class)
                .setParameter("r", radiologistId).setParameter("max", maxOpenCases);
        if (rvuCap) q.setParameter("cap", rvuPerHour);
        int n = q.executeUpdate();
        if (n == 1) return true;
        if (exists(s, radiologistId)) return false;
        insert(s, radiologistId, 1, rvu, shiftStart, rvu, now);
        return true;
    }

    /** Every reader's row (readers with no row have no open work). */
    public static Map<String, Load> all(Session s) {
        Map<String, Load> out = new HashMap<>();
        for (Object[] r : s.createNativeQuery("select radiologist_id, open_cases, open_rvu, shift_start, shift_rvu from reader_load", Object[].class)
                .list()) {
            Load l = load(r);
            out.put(l.radiologistId(), l);
        }
        return out;
    }

    /** One reader's row as committed now (after a refused {@link #take}), or an empty load. */
    public static Load of(Session s, String radiologistId) {
        List<Object[]> rows = s.createNativeQuery("select radiologist_id, open_cases, open_rvu, shift_start, shift_rvu from reader_load"
                + " where radiologist_id = :r", Object[].class).setParameter("r", radiologistId).list();
        return rows.isEmpty() ? new Load(radiologistId, 0, 0, null, 0) : load(rows.get(0));
    }

    /**
     * Recounts every reader's open work from the cases and compares it with {@code reader_load}.
     *
     * @param repair whether to correct the rows that differ
     * @return one line per reader whose row differed (empty when all agree)
     */
    public static List<String> check(Session s, boolean repair, Instant now) {
        if (repair) {
            // Hold every row first: a change committing on another node between the count and the
            // comparison would otherwise look like drift, and the "repair" would undo it.
            s.createNativeQuery("select radiologist_id from reader_load order by radiologist_id for update", String.class).list();
        }
        Map<String, double[]> counted = new HashMap<>();
        for (Object[] r : s.createNativeQuery("select radiologist_id, count(*), sum(rvu) from reading_case"
                + " where state in ('ASSIGNED', 'OPENED') and radiologist_id is not null group by radiologist_id", Object[].class).list()) {
            counted.put((String) r[0], new double[] {((Number) r[1]).doubleValue(), ((Number) r[2]).doubleValue()});
        }
        Map<String, Load> kept = all(s);
        List<String> drift = new ArrayList<>();
        java.util.Set<String> ids = new java.util.TreeSet<>(counted.keySet());
        ids.addAll(kept.keySet());
        for (String id : ids) {
            double[] c = counted.getOrDefault(id, new double[2]);
            Load k = kept.get(id);
            int keptCases = k == null ? 0 : k.openCases();
            double keptRvu = k == null ? 0 : k.openRvu();
            if (keptCases == (int) c[0] && Math.abs(keptRvu - c[1]) < 1e-6) continue;
            drift.add(String.format(java.util.Locale.ROOT, "%s: kept %d cases / %.2f RVU, counted %d / %.2f", id, keptCases, keptRvu,
                    (int) c[0], c[1]));
            if (!repair) continue;
            if (k == null) {
                insert(s, id, (int) c[0], c[1], null, 0, now);
            } else {
                s.createNativeMutationQuery("update reader_load set open_cases = :n, open_rvu = :rvu, updated_at = :now where radiologist_id = :r")
                        .setParameter("n", (int) c[0]).setParameter("rvu", c[1]).setParameter("now", now, Instant.class).setParameter("r", id).executeUpdate();
            }
        }
        return drift;
    }

    private static void add(Session s, String radiologistId, int cases, double rvu, Instant now) {
        int n = s.createNativeMutationQuery("update reader_load set open_cases = greatest(0, open_cases + :n),"
                        + " open_rvu = greatest(0, open_rvu + :rvu), updated_at = :now where radiologist_id = :r")
                .setParameter("n", cases).setParameter("rvu", rvu).setParameter("now", now, Instant.class).setParameter("r", radiologistId).executeUpdate();
        if (n == 0 && cases > 0) insert(s, radiologistId, cases, rvu, null, 0, now);
    }

    private static boolean exists(Session s, String radiologistId) {
        return !s.createNativeQuery("select 1 from reader_load where radiologist_id = :r", Object.class)
                .setParameter("r", radiologistId).list().isEmpty();
    }

    private static void insert(Session s, String radiologistId, int cases, double rvu, Instant shiftStart, double shiftRvu, Instant now) {
        s.createNativeMutationQuery("insert into reader_load (radiologist_id, open_cases, open_rvu, shift_start, shift_rvu, updated_at)"
                        + " values (:r, :n, :rvu, :start, :shift, :now)")
                .setParameter("r", radiologistId).setParameter("n", cases).setParameter("rvu", rvu).setParameter("start", shiftStart, Instant.class)
                .setParameter("shift", shiftRvu).setParameter("now", now, Instant.class).executeUpdate();
    }

    private static Load load(Object[] r) {
        return new Load((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).doubleValue(), instant(r[3]),
                ((Number) r[4]).doubleValue());
    }

    private static Instant instant(Object v) {
        if (v == null) return null;
        if (v instanceof Instant i) return i;
        if (v instanceof java.time.OffsetDateTime o) return o.toInstant();
        if (v instanceof java.sql.Timestamp t) return t.toInstant();
        if (v instanceof java.time.ZonedDateTime z) return z.toInstant();
        throw new IllegalStateException("unexpected timestamp type " + v.getClass());
    }
}
