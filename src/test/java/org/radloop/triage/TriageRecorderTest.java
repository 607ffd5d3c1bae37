package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.Facility;
import org.radloop.model.Store;
import org.radloop.model.TriageRecord;
import org.radloop.support.TestDatabases;
import org.radloop.support.TestEngine;
import org.radloop.triage.demo.DemoModelBuilder;
import org.radloop.triage.demo.PhantomSeries;

/** Decisions and findings are kept per study, with why, on H2 and on PostgreSQL (migration V4). */
class TriageRecorderTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aDecisionIsStoredWithItsReasonsAndEveryLabelOfEveryModelThatRan(String db) throws Exception {
        String url = db.equals("h2") ? Store.embeddedUrl(dir.resolve("data")) : TestDatabases.freshPostgresSchema();
        try (Store store = Store.open(url, db.equals("h2") ? "sa" : "postgres", "", 4)) {
            store.inTransaction(s -> s.persist(new Facility("st-marys", "St Mary's", "Europe/London")));
            Path models = dir.resolve("models");
            DemoModelFixture.copyYaml(DemoModelBuilder.CT_HEAD_BLEED, models);
            SchemaValidator validator = new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas"));
            try (ModelRegistry registry = new ModelRegistry(models, DemoModelFixture.dataDir(), validator, 1,
                    Duration.ofSeconds(30), null)) {
                registry.reload();
                StudyTriage triage = new StudyTriage(registry, new ClinicalRules(TriageLexicon.read(validator,
                        TestEngine.projectHome().resolve("mappings/triage-lexicon.yaml"))), new PriorityPolicy());
                List<Path> files = PhantomSeries.writeCtHead(dir.resolve("ct"), 11, 12, 64, true);
                String studyUid = DicomSlices.header(files.get(0)).studyUid();
                Instant now = Instant.now();
                TriageDecision d = triage.triage(new StudyFacts("st-marys", "CT", "HEAD", List.of("CT HEAD"), files,
                        new OrderFacts("STAT", "E", "ED", "fall, rule out bleed", List.of()), now, null), now);

                long id = new TriageRecorder(store).record("st-marys", studyUid, d, now);

                TriageRecord r = store.fromTransaction(s -> s.find(TriageRecord.class, id));
                assertThat(r.getStudyUid()).isEqualTo(studyUid);
                assertThat(r.getUrgency()).isEqualTo("CRITICAL");
                assertThat(r.getJmsPriority()).isEqualTo(9);
                assertThat(r.getScore()).isEqualTo(d.score());
                assertThat(r.getReasons()).contains("finding:RADLOOP-DEMO-ICH").contains("lexicon:haemorrhage")
                        .contains("order-priority:STAT");
                List<AiFinding> findings = store.fromTransaction(s -> s.createSelectionQuery(
                        "from AiFinding where decisionId = :id order by label", AiFinding.class).setParameter("id", id).getResultList());
                assertThat(findings).extracting(AiFinding::getLabel).containsExactly("bleed", "normal");
                AiFinding bleed = findings.get(0);
                assertThat(bleed.isPositive()).isTrue();
                assertThat(bleed.getModelId()).isEqualTo("ct-head-bleed-demo");
                assertThat(bleed.getModelVersion()).isEqualTo("1.0.0");
                assertThat(bleed.getFindingCode()).isEqualTo("RADLOOP-DEMO-ICH");
                assertThat(bleed.getSeverity()).isEqualTo(5);
                assertThat(bleed.getThreshold()).isEqualTo(registry.spec("ct-head-bleed-demo").orElseThrow()
                        .decision().labels().get("bleed").threshold());
                assertThat(bleed.getProbability()).isEqualTo(d.findings().get(0).probability());
                assertThat(bleed.getSlices()).matches("\\d+");
                assertThat(bleed.getSeriesUid()).isEqualTo(DicomSlices.header(files.get(0)).seriesUid());
                assertThat(findings.get(1).isPositive()).isFalse();
                assertThat(findings.get(1).getThreshold()).isNull();
                List<AuditEvent> audit = store.fromTransaction(s -> s.createSelectionQuery(
                        "from AuditEvent where entityId = :uid", AuditEvent.class).setParameter("uid", studyUid).getResultList());
                assertThat(audit).singleElement().satisfies(a -> assertThat(a.getDetail()).startsWith("CRITICAL score"));
            }
        } finally {
            if (db.equals("postgres")) TestDatabases.dropSchemaOf(url);
        }
    }
}
