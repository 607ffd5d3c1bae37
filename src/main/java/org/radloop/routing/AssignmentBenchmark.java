package org.radloop.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadLoopSettings;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.RoutingPolicy;
import org.radloop.model.Facility;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.radloop.model.Store;

/**
 * Assignment decision latency with 300 radiologists and 20,000 open cases (run by the bench
 * command, never by the tests; target p99 under 20 ms). Two measurements:
 * <ol>
 *   <li>decision: {@link AssignmentEngine#decide} over the 300 readers, whose load comes from the
 *       20,000 open cases (2,400 of them on worklists, the rest in the shared queue);</li>
 *   <li>with store: what the route stage does per case before it writes anything, on embedded H2
 *       holding those 20,000 cases: read every reader's state ({@link ReaderBoard}: availability and
 *       the {@code reader_load} rows with open work and RVUs this shift), read the case's needs
 *       (order, priors) and decide (for a critical case that finds readers full, with what they could
 *       hand back).</li>
 * </ol>
 * Synthetic, seeded data: subspecialties, privileges, licences, shifts (a fifth off shift) and
 * capacities vary per reader, so every hard constraint excludes someone.
 *
 * <p>Usage: {@code java -cp ... org.radloop.routing.AssignmentBenchmark [radiologists] [openCases] [decisions]}
 */
public final class AssignmentBenchmark {

    static final String[] SUBSPECIALTIES = {"neuro", "chest", "body", "msk", "breast", "paediatric", "nuclear"};
    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    /** Thread CPU time beside wall time: on a shared machine the wall clock includes waiting for a core. */
    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int readers = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int open = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int decisions = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        Path home = Path.of(System.getProperty("radloop.home", ".")).toAbsolutePath();
        AssignmentBenchmark b = new AssignmentBenchmark(readers, open, new Random(20260302));
        System.out.println("Assignment benchmark: " + readers + " radiologists, " + open + " open cases ("
                + b.assignedCount + " on worklists), " + decisions + " decisions each");
        System.out.println("  decision only (wall) : " + b.decisionOnly(decisions));
        System.out.println("  with H2 store (wall) : " + b.withStore(home, Math.min(decisions, 500)));
    }

    private final List<RadiologistConfig> roster = new ArrayList<>();
    private final List<ReaderState> states = new ArrayList<>();
    private final Random random;
    private final int openCases;
    private int assignedCount;

    AssignmentBenchmark(int readers, int openCases, Random random) {
        this.random = random;
        this.openCases = openCases;
        List<RadiologistConfig.Shift> allWeek = List.of(new RadiologistConfig.Shift(
                List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), "00:00", "24:00"));
        List<RadiologistConfig.Shift> weekend = List.of(new RadiologistConfig.Shift(List.of("SAT", "SUN"), "08:00", "20:00"));
        for (int i = 0; i < readers; i++) {
            List<String> subs = new ArrayList<>();
            subs.add(SUBSPECIALTIES[random.nextInt(SUBSPECIALTIES.length)]);
            if (random.nextBoolean()) subs.add(SUBSPECIALTIES[random.nextInt(SUBSPECIALTIES.length)]);
            if (random.nextInt(3) == 0) subs.add(RadiologistConfig.GENERAL);
            List<String> privileges = new ArrayList<>(List.of("st-marys", "northgate-imaging"));
            if (random.nextInt(4) == 0) privileges.remove(random.nextInt(2));
            List<String> licences = random.nextInt(5) == 0 ? List.of("US-NY") : List.of("GB-ENG", "US-NY");
            roster.add(new RadiologistConfig("r" + i, "Reader " + i, subs.stream().distinct().toList(), privileges, licences,
                    "Europe/London", random.nextInt(5) == 0 ? weekend : allWeek, 8 + random.nextInt(8), 8 + random.nextInt(6),
                    random.nextInt(10) == 0 ? List.of(new RadiologistConfig.Conflict(null, "Provider " + random.nextInt(50))) : List.of()));
        }
        // About eight cases on each worklist; the rest wait in the shared queue.
        int[] count = new int[readers];
        double[] rvu = new double[readers];
        assignedCount = Math.min(openCases, readers * 8);
        for (int i = 0; i < assignedCount; i++) {
            int r = random.nextInt(readers);
            if (count[r] >= roster.get(r).maxOpenCases() - 1) continue;
            count[r]++;
            rvu[r] += 0.2 + random.nextDouble() * 1.6;
        }
        assignedCount = Arrays.stream(count).sum();
        for (int i = 0; i < readers; i++) {
            RadiologistConfig r = roster.get(i);
            Instant start = r.scheduledShiftStart(NOW);
            states.add(new ReaderState(r, start != null, start == null ? "no scheduled shift now" : null, start, count[i],
                    Math.min(rvu[i], r.rvuPerHour() * 0.95), rvu[i] * 1.5, count[i] > 0 ? (long) i : null));
        }
    }

    CaseNeeds randomCase(long id) {
        String urgency = switch (random.nextInt(10)) { case 0 -> "CRITICAL"; case 1, 2, 3 -> "URGENT"; default -> "ROUTINE"; };
        String facility = random.nextBoolean() ? "st-marys" : "northgate-imaging";
        return new CaseNeeds(id, facility, facility.equals("st-marys") ? "GB-ENG" : "US-NY",
                SUBSPECIALTIES[random.nextInt(SUBSPECIALTIES.length)], urgency, 0.2 + random.nextDouble() * 1.6,
                NOW.plus(Duration.ofMinutes(30 + random.nextInt(2880))), NOW.minus(Duration.ofMinutes(random.nextInt(240))),
                "Provider " + random.nextInt(50), Set.of(), random.nextInt(4) == 0 ? Set.of("r" + random.nextInt(roster.size())) : Set.of());
    }

    String decisionOnly(int decisions) {
        AssignmentEngine engine = new AssignmentEngine();
        RoutingPolicy policy = RoutingPolicy.defaults();
        for (int i = 0; i < 2_000; i++) engine.decide(randomCase(i), states, NOW, policy); // warm-up
        long[] ns = new long[decisions];
        long[] cpu = new long[decisions];
        int assigned = 0;
        for (int i = 0; i < decisions; i++) {
            CaseNeeds c = randomCase(i);
            long c0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            AssignmentEngine.Decision d = engine.decide(c, states, NOW, policy);
            ns[i] = System.nanoTime() - t0;
            cpu[i] = CPU.getCurrentThreadCpuTime() - c0;
            if (d.assigned()) assigned++;
        }
        return figures(ns) + "; thread CPU " + figures(cpu) + String.format(" (%d of %d assigned, the rest had no qualified reader)", assigned, decisions);
    }

    String withStore(Path home, int decisions) throws Exception {
        Path dir = Files.createTempDirectory("radloop-assignment-bench");
        Store store = Store.open(Store.embeddedUrl(dir), "sa", "", 4);
        try {
            Instant now = NOW;
            store.inTransaction(s -> {
                s.persist(new Facility("st-marys", "St Mary's (bench)", "Europe/London"));
                s.persist(new Facility("northgate-imaging", "Northgate (bench)", "America/New_York"));
            });
            List<Long> patients = new ArrayList<>();
            store.inTransaction(s -> {
                for (int i = 0; i < 2_000; i++) {
                    org.radloop.model.Patient p = new org.radloop.model.Patient(i % 2 == 0 ? "st-marys" : "northgate-imaging", "BENCH-" + i, "BENCH");
                    s.persist(p);
                    patients.add(p.getId());
                }
            });
            List<ReaderState> byReader = states;
            int batch = 1_000;
            for (int from = 0; from < openCases; from += batch) {
                int start = from;
                store.inTransaction(s -> {
                    for (int i = start; i < Math.min(openCases, start + batch); i++) {
                        CaseNeeds n = randomCase(i);
                        ReadingCase c = new ReadingCase(n.facilityId(), "1.2.826.0.1.3680043.10.998." + i, now);
                        c.describe(null, null, patients.get(i % patients.size()), null, null, n.subspecialty(), n.rvu(), n.urgency(),
                                n.isCritical() ? 9 : 4, n.deadline(), null, now);
                        if (i < assignedCount) {
                            ReaderState r = byReader.get(i % byReader.size());
                            c.assign(r.id(), now);
                        }
                        s.persist(c);
                        if (i % 100 == 99) {
                            s.flush();
                            s.clear();
                        }
                    }
                });
            }
            RadLoopSettings settings = RadLoopSettings.of(home, new java.util.Properties());
            FacilityRegistry facilities = new FacilityRegistry(settings);
            facilities.reload();
            RadiologistRoster rosterHolder = new RadiologistRoster(writeRoster(dir), new org.radloop.config.SchemaValidator(settings.confDir().resolve("schemas")));
            if (!rosterHolder.reload().isEmpty()) throw new IllegalStateException("synthetic roster refused: " + rosterHolder.refused());
            // The cases were written directly: count every reader's open work once, as the migration does.
            store.inTransaction(s -> ReaderLoads.check(s, true, now));
            Assigner assigner = new Assigner(rosterHolder, facilities,
                    new OnCallChain(rosterHolder, store, () -> null, "http://localhost", java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC)));
            List<Long> waiting = store.fromTransaction(s -> s.createSelectionQuery(
                    "select c.id from ReadingCase c where c.state = :w", Long.class).setParameter("w", ReadingCase.State.WAITING)
                    .setMaxResults(decisions + 50).list());
            long[] ns = new long[decisions];
            long[] cpu = new long[decisions];
            Map<String, Integer> outcomes = new HashMap<>();
            for (int i = 0; i < Math.min(50, waiting.size()); i++) decideInStore(store, assigner, waiting.get(i), outcomes);
            outcomes.clear();
            for (int i = 0; i < decisions; i++) {
                long c0 = CPU.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                decideInStore(store, assigner, waiting.get(50 + i % (waiting.size() - 50)), outcomes);
                ns[i] = System.nanoTime() - t0;
                cpu[i] = CPU.getCurrentThreadCpuTime() - c0;
            }
            return figures(ns) + "; thread CPU " + figures(cpu) + " (board read, case needs and decision in one read-only transaction; "
                    + outcomes.getOrDefault("assigned", 0) + " of " + decisions + " found a reader)";
        } finally {
            store.close();
        }
    }

    private static void decideInStore(Store store, Assigner assigner, long caseId, Map<String, Integer> outcomes) {
        store.inTransaction(s -> {
            ReaderBoard board = assigner.board(s, NOW);
            ReadingCase c = s.find(ReadingCase.class, caseId);
            AssignmentEngine.Decision d = assigner.decide(s, board, assigner.needs(s, c), NOW);
            outcomes.merge(d.assigned() ? "assigned" : "queued", 1, Integer::sum);
        });
    }

    private static String figures(long[] ns) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.3f ms, p99 %.3f ms, max %.3f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /** The synthetic roster as a conf/radiologists.yaml, read (and schema-checked) like the real one. */
    private Path writeRoster(Path dir) throws java.io.IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (RadiologistConfig r : roster) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("subspecialties", r.subspecialties());
            m.put("privileges", r.privileges());
            m.put("licences", r.licences());
            m.put("timeZone", r.timeZone());
            m.put("shifts", r.shifts().stream().map(x -> Map.of("days", x.days(), "start", x.start(), "end", x.end())).toList());
            m.put("maxOpenCases", r.maxOpenCases());
            m.put("rvuPerHour", r.rvuPerHour());
            if (!r.conflicts().isEmpty()) m.put("conflicts", r.conflicts().stream().map(x -> Map.of("orderingProvider", x.orderingProvider())).toList());
            list.add(m);
        }
        Path file = dir.resolve("radiologists.yaml");
        new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .writeValue(file.toFile(), Map.of("radiologists", list));
        return file;
    }
}
