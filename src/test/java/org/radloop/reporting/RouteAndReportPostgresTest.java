package org.radloop.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AiFinding;
import org.radloop.model.ReadingCase;
import org.radloop.model.Report;
import org.radloop.model.ReportDiff;
import org.radloop.routing.CaseDesk;
import org.radloop.routing.CaseRouter;
import org.radloop.routing.RoutingEngines;
import org.radloop.support.TestDatabases;

/**
 * The V7 tables and the route and report stages' queries on the local PostgreSQL: a critical head CT
 * is assigned, times out to the next reader, is drafted, claimed and signed with its diff.
 */
class RouteAndReportPostgresTest {

    @TempDir
    static Path folder;
    static String url;
    static RadLoopEngine engine;
    static final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        Properties p = RoutingEngines.settings(folder, RoutingEngines.ROSTER);
        p.setProperty("radloop.db.url", url);
        engine = RoutingEngines.start(p, clock);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (url != null) TestDatabases.dropSchemaOf(url);
    }

    @Test
    void aCriticalHeadCtIsAssignedReassignedDraftedAndSignedOnPostgres() {
        String uid = RoutingEngines.triaged(engine, clock, "MRN-PG-1", "ACC-PG-1", "ct-head-noncontrast", "CT", "HEAD", "CRITICAL", 9,
                List.of(ReportingTest.BLEED));
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.store().fromTransaction(s -> s.createQuery(
                "from Report where studyUid = :u", Report.class).setParameter("u", uid).uniqueResult()) != null);
        ReadingCase c = RoutingEngines.caseOf(engine, uid);
        String first = c.getRadiologistId();
        assertThat(first).isIn("neuro-a", "neuro-b");

        clock.advance(Duration.ofMinutes(6));
        engine.camel().getRegistry().lookupByNameAndType("caseRouter", CaseRouter.class).sweep();
        String second = RoutingEngines.caseOf(engine, uid).getRadiologistId();
        assertThat(second).isIn("neuro-a", "neuro-b").isNotEqualTo(first);

        engine.camel().getRegistry().lookupByNameAndType("caseDesk", CaseDesk.class).claim(c.getId(), second);
        ReportDesk desk = engine.camel().getRegistry().lookupByNameAndType("reportDesk", ReportDesk.class);
        long findingId = engine.store().fromTransaction(s -> s.createQuery("from AiFinding where studyUid = :u and positive = true",
                AiFinding.class).setParameter("u", uid).uniqueResult().getId());
        Map<String, Object> signed = desk.sign(c.getId(), second, Map.of("impression", "Acute haemorrhage confirmed."),
                List.of(new ReportDesk.Verdict(findingId, "confirm", null)));
        assertThat(signed.get("state")).isEqualTo("SIGNED");
        ReportDiff diff = engine.store().fromTransaction(s -> s.createQuery("from ReportDiff", ReportDiff.class).uniqueResult());
        assertThat(diff.getChangedSections()).isEqualTo(1);
        assertThat(diff.getDiff()).contains("\"section\":\"impression\",\"status\":\"changed\"");
    }
}
