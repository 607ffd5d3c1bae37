package org.radloop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadLoopSettings;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.SchemaValidator;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.Facility;
import org.radloop.model.NodeLeases;
import org.radloop.model.ReadingCase;
import org.radloop.model.Store;
import org.radloop.model.TriageRecord;
import org.radloop.support.TestEngine;
import org.radloop.model.Refusal;

/**
 * Two routing nodes (each its own Store, connection pool and CaseRouter, as two processes would
 * have) on one database, racing on the same cases from several threads: no case is assigned twice,
 * no reader goes above capacity, a case two readers claim at once goes to one of them, and only the
 * node holding the lease sweeps until its lease expires. Run on PostgreSQL and on H2.
 */
abstract class RoutingTwoNodes {

    /** Three general readers with four places each: twelve places for forty cases. */
    static final String ROSTER = """
            policy:
              generalCoverAfterMinutes: {critical: 0, urgent: 0, routine: 0}
              onCall: [{name: Duty consultant, email: duty@oncall.example}]
            radiologists:
              - {id: g1, name: G One, subspecialties: [general], privileges: [st-marys], licences: [GB-ENG], timeZone: Europe/London,
                 shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}], maxOpenCases: 4, rvuPerHour: 50}
              - {id: g2, name: G Two, subspecialties: [general], privileges: [st-marys], licences: [GB-ENG], timeZone: Europe/London,
                 shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}], maxOpenCases: 4, rvuPerHour: 50}
              - {id: g3, name: G Three, subspecialties: [general], privileges: [st-marys], licences: [GB-ENG], timeZone: Europe/London,
                 shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}], maxOpenCases: 4, rvuPerHour: 50}
            """;
    static final int CASES = 40;

    @TempDir
    Path folder;
    final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);
    final List<Store> stores = new ArrayList<>();

    /** The database both nodes share (a fresh one per test). */
    abstract String databaseUrl() throws Exception;

    record Node(Store store, CaseRouter router, CaseDesk desk) {
    }

    Node node(String url, String name) throws Exception {
        Store store = Store.open(url, url.startsWith("jdbc:h2:") ? "sa" : null, "", 6);
        stores.add(store);
        Path conf = folder.resolve("conf");
        if (!Files.exists(conf)) {
            TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), conf);
            Files.writeString(conf.resolve("radiologists.yaml"), ROSTER);
        }
        Properties p = new Properties();
        p.setProperty("radloop.conf.dir", conf.toString());
        RadLoopSettings settings = RadLoopSettings.of(TestEngine.projectHome(), p);
        FacilityRegistry facilities = new FacilityRegistry(settings);
        facilities.reload();
        SchemaValidator validator = new SchemaValidator(conf.resolve("schemas"));
        RadiologistRoster roster = new RadiologistRoster(conf.resolve("radiologists.yaml"), validator);
        assertThat(roster.reload()).isEmpty();
        ProcedureCatalogue procedures = new ProcedureCatalogue(settings.mappingsDir().resolve("procedures.yaml"), validator);
        CaseRouter router = new CaseRouter(store, clock, roster, facilities, procedures, out -> { }, new NodeLeases(store, name),
                Duration.ofSeconds(60), () -> null, "http://127.0.0.1:8080", Duration.ofHours(1));
        return new Node(store, router, new CaseDesk(router));
    }

    @AfterEach
    void close() {
        for (Store s : stores) s.close();
    }

    /** Triage decisions for studies not routed yet: what radloop.route would bring to both nodes. */
    List<String> triaged(Store store, int count) {
        List<String> uids = new ArrayList<>();
        store.inTransaction(s -> {
            if (s.find(Facility.class, "st-marys") == null) s.persist(new Facility("st-marys", "St Mary's", "Europe/London"));
            for (int i = 0; i < count; i++) {
                String uid = "1.2.826.0.1.3680043.10.997." + System.nanoTime() + "." + i;
                s.persist(new TriageRecord("st-marys", uid, "ROUTINE", 40, 4, 0, 0, 0, 0, clock.instant().plusSeconds(48 * 3600), false, "[]",
                        clock.instant()));
                uids.add(uid);
            }
        });
        return uids;
    }

    /** Runs every task at once on its own thread and rethrows the first failure. */
    static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = pool.invokeAll(tasks);
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoNodesRoutingTheSameCasesNeverAssignOneTwiceNorFillAReaderBeyondCapacity() throws Exception {
        String url = databaseUrl();
        Node a = node(url, "node-a");
        Node b = node(url, "node-b");
        List<String> uids = triaged(a.store(), CASES);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (Node n : List.of(a, b)) {
            for (int t = 0; t < 2; t++) {
                List<String> order = new ArrayList<>(uids);
                Collections.shuffle(order, new Random(tasks.size()));
                tasks.add(() -> {
                    for (String uid : order) n.router().route(uid);
                    return order.size();
                });
            }
        }
        race(tasks);

        Store db = a.store();
        long cases = db.fromTransaction(s -> s.createQuery("select count(c) from ReadingCase c", Long.class).uniqueResult());
        assertThat(cases).as("one case per study").isEqualTo(CASES);
        List<Object[]> perCase = db.fromTransaction(s -> s.createQuery("select a.caseId, count(a) from AssignmentRecord a where a.action = :as"
                + " group by a.caseId", Object[].class).setParameter("as", AssignmentRecord.ASSIGNED).list());
        assertThat(perCase).as("no case assigned twice").allSatisfy(r -> assertThat((Long) r[1]).isEqualTo(1L));
        assertThat(perCase).as("every place filled").hasSize(12);
        Map<String, Long> open = openPerReader(db);
        assertThat(open).as("each reader at capacity, none above").containsOnly(Map.entry("g1", 4L), Map.entry("g2", 4L), Map.entry("g3", 4L));
        assertThat(a.router().checkReaderLoads()).as("kept loads agree with the cases").isEmpty();
    }

    @Test
    void aCaseClaimedOnTwoNodesAtOnceGoesToOneReader() throws Exception {
        String url = databaseUrl();
        Node a = node(url, "node-a");
        Node b = node(url, "node-b");
        // Fill every reader so the cases stay in the shared queue, then claim each from both nodes at once.
        List<String> uids = triaged(a.store(), 12 + 10);
        for (String uid : uids) a.router().route(uid);
        List<Long> waiting = a.store().fromTransaction(s -> s.createQuery("select c.id from ReadingCase c where c.state = :w order by c.id", Long.class)
                .setParameter("w", ReadingCase.State.WAITING).list());
        assertThat(waiting).hasSize(10);
        for (long id : waiting) {
            List<String> outcome = race(List.of(() -> claim(a, id, "g1"), () -> claim(b, id, "g2")));
            assertThat(outcome).as("case " + id + ": one claim wins, the other is refused").containsOnlyOnce("claimed");
        }
        List<Object[]> claims = a.store().fromTransaction(s -> s.createQuery("select a.caseId, count(a) from AssignmentRecord a where a.action = :c"
                + " group by a.caseId", Object[].class).setParameter("c", AssignmentRecord.CLAIMED).list());
        assertThat(claims).hasSize(10).allSatisfy(r -> assertThat((Long) r[1]).isEqualTo(1L));
        assertThat(a.router().checkReaderLoads()).isEmpty();
    }

    static String claim(Node n, long caseId, String reader) {
        try {
            n.desk().claim(caseId, reader);
            return "claimed";
        } catch (Refusal e) {
            return "refused: " + e.getMessage();
        }
    }

    @Test
    void onlyTheNodeHoldingTheLeaseSweepsAndAnotherTakesOverWhenItExpires() throws Exception {
        String url = databaseUrl();
        Node a = node(url, "node-a");
        Node b = node(url, "node-b");
        triaged(a.store(), 1);
        List<Boolean> first = race(List.of(() -> a.router().sweep(), () -> b.router().sweep()));
        assertThat(first).as("one of two nodes sweeping at once").containsOnlyOnce(true);
        Node holder = first.get(0) ? a : b;
        Node other = holder == a ? b : a;
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(15));
            assertThat(holder.router().sweep()).as("the holder renews and sweeps").isTrue();
            assertThat(other.router().sweep()).as("the other node does not sweep").isFalse();
        }
        // The holder stops (crashed or cut off): after the lease's 60 s, the other node takes over.
        clock.advance(Duration.ofSeconds(59));
        assertThat(other.router().sweep()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(other.router().sweep()).isTrue();
        assertThat(holder.router().sweep()).as("the old holder now finds the lease taken").isFalse();
        assertThat(new NodeLeases(a.store(), "x").holderOf(CaseRouter.SWEEP_LEASE)).isEqualTo(other == a ? "node-a" : "node-b");
    }

    static Map<String, Long> openPerReader(Store db) {
        Map<String, Long> out = new java.util.TreeMap<>();
        db.inTransaction(s -> {
            for (Object[] r : s.createQuery("select c.radiologistId, count(c) from ReadingCase c where c.state in (:open) group by c.radiologistId",
                    Object[].class).setParameter("open", List.of(ReadingCase.State.ASSIGNED, ReadingCase.State.OPENED)).list()) {
                out.put((String) r[0], (Long) r[1]);
            }
        });
        return out;
    }
}
