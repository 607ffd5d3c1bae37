package org.radloop.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the demo measured, and the first-in-first-out comparison it computes from the same cases.
 *
 * <p>Time to signed report runs from the order's arrival to the signature, in simulated minutes.
 * The FIFO figures are computed, not run: each radiologist reads the very cases they read in the
 * demo, with the very reading times they took, but in order of arrival instead of RadLoop's
 * priority order (a case can start once it was on their worklist and they were free).
 */
public final class DemoSummary {

    /** One urgency class: measured and computed-FIFO median and 95th percentile, simulated minutes. */
    public record UrgencyRow(String urgency, int studies, double median, double p95, double fifoMedian, double fifoP95) {
    }

    /** One study as the report's plot shows it. */
    public record StudyPoint(int number, String facility, String kind, String urgency, boolean abnormal, double minutes,
                             double fifoMinutes, String reader) {
    }

    private final List<DemoStudy> studies;
    private final DemoProgress.Snapshot counts;
    private final DemoLearning.Result learning;
    private final boolean deliveryWired;
    private final List<UrgencyRow> rows;
    private final List<StudyPoint> points;
    private final int readers;
    private final Duration wall;
    private final Path dataDir;
    private final long millisPerMinute;

    private DemoSummary(List<DemoStudy> studies, DemoProgress.Snapshot counts, DemoLearning.Result learning, boolean deliveryWired,
                        List<UrgencyRow> rows, List<StudyPoint> points, int readers, Duration wall, Path dataDir, long millisPerMinute) {
        this.studies = studies;
        this.counts = counts;
        this.learning = learning;
        this.deliveryWired = deliveryWired;
        this.rows = rows;
        this.points = points;
        this.readers = readers;
        this.wall = wall;
        this.dataDir = dataDir;
        this.millisPerMinute = millisPerMinute;
    }

    static DemoSummary of(List<DemoStudy> all, DemoProgress.Snapshot counts, DemoLearning.Result learning, boolean deliveryWired,
                          DemoClock clock, int readers, Duration wall, Path dataDir) {
        List<DemoStudy> studies = List.copyOf(all);
        Map<DemoStudy, Double> fifo = fifo(studies, clock);
        List<StudyPoint> points = new ArrayList<>();
        for (DemoStudy s : studies) {
            if (s.timeToSigned() == null) continue;
            points.add(new StudyPoint(s.number(), s.facility().id(), s.kind().name(), urgency(s), s.abnormal(),
                    clock.toSimulatedMinutes(s.timeToSigned().toMillis()), fifo.getOrDefault(s, Double.NaN), s.reader));
        }
        Map<String, List<StudyPoint>> byUrgency = new LinkedHashMap<>();
        for (String u : List.of("critical", "urgent", "routine")) byUrgency.put(u, new ArrayList<>());
        for (StudyPoint p : points) byUrgency.computeIfAbsent(p.urgency(), k -> new ArrayList<>()).add(p);
        List<UrgencyRow> rows = new ArrayList<>();
        byUrgency.forEach((u, list) -> {
            if (list.isEmpty()) return;
            List<Double> m = list.stream().map(StudyPoint::minutes).toList();
            List<Double> f = list.stream().map(StudyPoint::fifoMinutes).toList();
            rows.add(new UrgencyRow(u, list.size(), percentile(m, 50), percentile(m, 95), percentile(f, 50), percentile(f, 95)));
        });
        return new DemoSummary(studies, counts, learning, deliveryWired, rows, points, readers, wall, dataDir, clock.millisPerMinute());
    }

    static String urgency(DemoStudy s) {
        return s.urgency == null || s.urgency.isBlank() ? "unknown" : s.urgency.toLowerCase(Locale.ROOT);
    }

    /** The computed first-in-first-out run: per reader, cases in arrival order, same reading times. */
    static Map<DemoStudy, Double> fifo(List<DemoStudy> studies, DemoClock clock) {
        Map<String, List<DemoStudy>> byReader = new HashMap<>();
        for (DemoStudy s : studies) if (s.signedAt != null && s.reader != null) byReader.computeIfAbsent(s.reader, k -> new ArrayList<>()).add(s);
        Map<DemoStudy, Double> out = new HashMap<>();
        for (List<DemoStudy> cases : byReader.values()) {
            cases.sort(Comparator.comparing((DemoStudy s) -> s.sentAt).thenComparingInt(DemoStudy::number));
            // The reader starts when they really started: their first opened case (they log in once).
            long free = cases.stream().filter(c -> c.readStartedAt != null).mapToLong(c -> c.readStartedAt.toEpochMilli()).min()
                    .orElse(cases.stream().mapToLong(DemoSummary::readyMillis).min().orElse(0));
            for (DemoStudy s : cases) {
                long start = Math.max(free, readyMillis(s));
                // The reading as it really took, opening the draft to the signature (API round trips included).
                long reading = s.readStartedAt != null ? s.signedAt.toEpochMilli() - s.readStartedAt.toEpochMilli()
                        : Math.round(s.readingMinutes * clock.millisPerMinute());
                long finish = start + reading;
                free = finish;
                out.put(s, clock.toSimulatedMinutes(finish - s.sentAt.toEpochMilli()));
            }
        }
        return out;
    }

    private static long readyMillis(DemoStudy s) {
        Instant ready = s.assignedAt != null && s.assignedAt.isAfter(s.sentAt) ? s.assignedAt : s.sentAt;
        return ready.toEpochMilli();
    }

    static double percentile(List<Double> values, double pct) {
        List<Double> v = values.stream().filter(d -> !d.isNaN()).sorted().toList();
        if (v.isEmpty()) return Double.NaN;
        // Nearest rank: with a handful of cases an interpolated p95 would claim precision it has not got.
        int rank = (int) Math.ceil(pct / 100.0 * v.size());
        return v.get(Math.max(0, Math.min(v.size() - 1, rank - 1)));
    }

    public List<UrgencyRow> rows() {
        return rows;
    }

    public List<StudyPoint> points() {
        return points;
    }

    public DemoProgress.Snapshot counts() {
        return counts;
    }

    public DemoLearning.Result learning() {
        return learning;
    }

    public boolean deliveryWired() {
        return deliveryWired;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int planned() {
        return studies.size();
    }

    public int signed() {
        return (int) studies.stream().filter(s -> s.signedAt != null).count();
    }

    /** Studies whose ORU^R01 came back to their facility's simulated RIS. */
    public int delivered() {
        return counts.delivered();
    }

    /** Signing order (1 = first signed) of every study, by study number. */
    public Map<Integer, Integer> signingOrder() {
        List<DemoStudy> signed = studies.stream().filter(s -> s.signedAt != null).sorted(Comparator.comparing(s -> s.signedAt)).toList();
        Map<Integer, Integer> order = new LinkedHashMap<>();
        for (int i = 0; i < signed.size(); i++) order.put(signed.get(i).number(), i + 1);
        return order;
    }

    /**
     * Critical first, checked per radiologist: a critical case that reached a reader's worklist while
     * a less urgent case of theirs was still unopened must have been opened first. Returns each pair
     * where that did not happen (empty when RadLoop's order held). {@code [0]} of the result counts the
     * pairs where overtaking was possible at all, so that a run with no such chance is visible.
     */
    public Map<String, List<String>> criticalFirst() {
        List<String> violations = new ArrayList<>();
        List<String> chances = new ArrayList<>();
        for (DemoStudy c : studies) {
            if (!"critical".equals(urgency(c)) || c.assignedAt == null || c.readStartedAt == null) continue;
            // The draft is written a moment after the assignment; until then the case cannot be opened.
            Instant readable = c.assignedAt.plusMillis(1000);
            for (DemoStudy r : studies) {
                if (r == c || "critical".equals(urgency(r)) || r.readStartedAt == null || r.reader == null
                        || !r.reader.equals(c.reader) || r.assignedAt == null) continue;
                if (r.assignedAt.isBefore(c.assignedAt) && r.readStartedAt.isAfter(readable)) {
                    String pair = "study " + c.number() + " (critical) and study " + r.number() + " (" + urgency(r) + ") of " + c.reader;
                    chances.add(pair);
                    if (r.readStartedAt.isBefore(c.readStartedAt)) violations.add(pair);
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("overtaken", chances);
        out.put("violations", violations);
        return out;
    }

    int aiConfirmed() {
        return studies.stream().mapToInt(s -> s.aiConfirmed).sum();
    }

    int aiRejected() {
        return studies.stream().mapToInt(s -> s.aiRejected).sum();
    }

    int aiMissedAdded() {
        return studies.stream().mapToInt(s -> s.aiMissedAdded).sum();
    }

    long millisPerMinute() {
        return millisPerMinute;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        DemoProgress.Snapshot c = counts;
        sb.append("RadLoop demo summary (synthetic phantoms, simulated people; not clinical data)\n");
        sb.append(String.format(Locale.ROOT, "  wall time %ds, %d radiologists, 1 simulated minute = %d ms%n", wall.toSeconds(), readers, millisPerMinute));
        sb.append("Studies through each stage\n");
        sb.append(String.format(Locale.ROOT, "  sent %d | received %d | triaged %d | assigned %d | signed %d | QC passed %s, blocked %s, warnings %s | delivered %s%n",
                planned(), c.received(), c.triaged(), c.assigned(), signed(),
                deliveryWired ? c.qcPassed() : "n/a", deliveryWired ? c.qcBlocked() : "n/a", deliveryWired ? c.qcWarnings() : "n/a",
                deliveryWired ? Integer.toString(delivered()) : "n/a"));
        if (!deliveryWired) {
            sb.append("  NOTE: delivery is not wired on this build: no route consumes radloop.qc, so signed reports are not\n"
                    + "  QC-checked, not delivered to the RIS and no critical result is opened (the QC-and-delivery glue is not merged).\n");
        }
        sb.append("Time to signed report (simulated minutes, order arrival to signature)\n");
        sb.append("  urgency    n   median   p95    | FIFO median  FIFO p95 (computed)\n");
        for (UrgencyRow r : rows) {
            sb.append(String.format(Locale.ROOT, "  %-9s %2d  %6.1f  %6.1f   |  %6.1f     %6.1f%n", r.urgency(), r.studies(), r.median(), r.p95(),
                    r.fifoMedian(), r.fifoP95()));
        }
        sb.append("  FIFO is computed, not run: the same readers, cases and reading times, read in order of arrival.\n");
        Map<String, List<String>> cf = criticalFirst();
        sb.append(String.format(Locale.ROOT, "  Critical first: %d time(s) a critical case overtook a less urgent one waiting on the same worklist; %d out of order%n",
                cf.get("overtaken").size() - cf.get("violations").size(), cf.get("violations").size()));
        sb.append(String.format(Locale.ROOT, "Radiologists' verdicts: %d AI findings confirmed, %d rejected as false positives, %d missed findings added in the text%n",
                aiConfirmed(), aiRejected(), aiMissedAdded()));
        if (deliveryWired) sb.append(String.format(Locale.ROOT, "QC: %d passed (%d with warnings), %d blocked; %d block(s) overridden by the radiologist with a reason%n",
                c.qcPassed(), c.qcWarnings(), c.qcBlocked(), studies.stream().mapToInt(x -> x.qcOverrides).sum()));
        sb.append(String.format(Locale.ROOT, "Critical alerts: sent %d, acknowledged %d, escalated %d%n", c.criticalSent(), c.criticalAcked(), c.criticalEscalated()));
        sb.append("Models (before = version in service, after = candidate, on the same held-out labels)\n");
        for (DemoLearning.ModelOutcome m : learning.models()) {
            if (m.refused() != null) {
                sb.append(String.format(Locale.ROOT, "  %s %s: %d labels; no candidate trained (%s)%n", m.model(), m.versionBefore(), m.labels(), m.refused()));
            } else {
                String verdict = m.aucAfter() == null || m.aucBefore() == null ? "not comparable"
                        : m.aucAfter() > m.aucBefore() ? "the corrections improved it" : m.aucAfter().equals(m.aucBefore()) ? "no change" : "the corrections did NOT improve it";
                sb.append(String.format(Locale.ROOT, "  %s: %d labels; %s AUC %s -> %s AUC %s, sensitivity %s -> %s, specificity %s -> %s; %s; %s%n",
                        m.model(), m.labels(), m.versionBefore(), f(m.aucBefore()), m.candidate(), f(m.aucAfter()), f(m.sensBefore()), f(m.sensAfter()),
                        f(m.specBefore()), f(m.specAfter()), Boolean.TRUE.equals(m.promoted()) ? "promoted" : "not promoted (" + m.state() + ")", verdict));
            }
        }
        sb.append("  Labels: the radiologists' verdicts on the AI findings and the findings they added that the AI missed,\n"
                + "  given with each sign-off and turned into labels by the improve stage.\n");
        sb.append("Report: ").append(dataDir.resolve("demo-report.html")).append('\n');
        return sb.toString();
    }

    static String f(Double d) {
        return d == null || d.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }
}
