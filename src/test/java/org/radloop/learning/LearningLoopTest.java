package org.radloop.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.model.AiFinding;
import org.radloop.model.AuditEvent;
import org.radloop.model.ModelVersion;
import org.radloop.model.ShadowRun;
import org.radloop.model.TrainingLabel;
import org.radloop.model.TrainingLabel.Verdict;
import org.radloop.triage.ModelResult;
import org.radloop.triage.ModelRunner;
import org.radloop.triage.ModelSpec;
import org.radloop.triage.TriageDecision;

/**
 * The learning loop on real phantoms, real triage and a real store: radiologists' corrections become
 * labels, retraining makes a candidate with a model card, the policy promotes a better one and holds
 * a worse one, versions swap and roll back without a restart, and a study already running finishes
 * on the version it started with.
 */
class LearningLoopTest {

    /** The loop as the demo would configure it: retrain every 20 labels, promote clear wins by itself. */
    static final String AUTOMATIC = """
            learning:
              retrain: {everyLabels: 20, minLabels: 20, holdoutFraction: 0.4}
              promotion: {mode: automatic, margin: 0.02, tolerance: 0.05}
              shadow: {enabled: true}
              monitoring: {agreementFloor: 0.95, minLabels: 10}
            """;

    @TempDir
    Path dir;

    @Test
    void correctionsOnABatchOfStudiesProduceLabelsTiedToTheModelVersion() throws Exception {
        try (LearningFixture f = new LearningFixture(dir, 10, 1, AUTOMATIC)) {
            List<LearningFixture.PhantomStudy> studies = f.batch(1000, 24);
            int confirmed = 0, rejected = 0, missed = 0, negatives = 0;
            for (LearningFixture.PhantomStudy s : studies) {
                f.triage(s);
                AiFinding ai = f.bleedFinding(s.studyUid());
                assertThat(ai.getModelVersion()).isEqualTo("1.0.0");
                if (ai.isPositive() && s.bleed()) confirmed++;
                if (ai.isPositive() && !s.bleed()) rejected++;
                if (!ai.isPositive() && s.bleed()) missed++;
                if (!ai.isPositive() && !s.bleed()) negatives++;
                assertThat(f.sign(s, s.bleed()).labels()).isEqualTo(1);
            }
            List<TrainingLabel> labels = f.list("from TrainingLabel order by id", TrainingLabel.class);
            assertThat(labels).hasSize(24);
            assertThat(labels).filteredOn(l -> l.getVerdict() == Verdict.CONFIRMED && Boolean.TRUE.equals(l.getAiPositive()))
                    .hasSize(confirmed);
            assertThat(labels).filteredOn(l -> l.getVerdict() == Verdict.REJECTED).hasSize(rejected);
            assertThat(labels).filteredOn(l -> l.getVerdict() == Verdict.ADDED_MISSED).hasSize(missed)
                    .allSatisfy(l -> {
                        // The model that looked and saw nothing is named as the one that missed it.
                        assertThat(l.getModelVersion()).isEqualTo("1.0.0");
                        assertThat(l.getSlices()).isEqualTo(LearningFixture.BLEED_SLICES);
                        assertThat(l.getInstanceFiles()).hasSize(4).allSatisfy(p -> assertThat(p).isRegularFile());
                    });
            assertThat(labels).filteredOn(l -> l.getVerdict() == Verdict.CONFIRMED && Boolean.FALSE.equals(l.getAiPositive()))
                    .hasSize(negatives).allSatisfy(l -> assertThat(l.getInstanceFiles()).hasSize(LearningFixture.SLICES));
            assertThat(labels).allSatisfy(l -> {
                assertThat(l.getModelId()).isEqualTo(LearningFixture.MODEL);
                assertThat(l.findingPresent()).isEqualTo(studies.stream().filter(s -> s.studyUid().equals(l.getStudyUid()))
                        .findFirst().orElseThrow().bleed());
            });
            // The weak model both misses and over-calls, so every kind of verdict was exercised.
            assertThat(missed + rejected).isPositive();

            // Signing the same report again (an addendum) replaces its labels instead of adding more.
            LearningFixture.PhantomStudy first = studies.get(0);
            AiFinding ai = f.bleedFinding(first.studyUid());
            var again = f.learning.capture().record(new LabelCapture.Signing(LearningFixture.FACILITY, first.studyUid(), "report-1",
                    "dr-test", ai.isPositive() ? List.of(new LabelCapture.FindingVerdict(ai.getId(), Verdict.CONFIRMED)) : List.of(),
                    ai.isPositive() ? List.of() : List.of(new LabelCapture.MissedFinding("bleed", first.seriesUid(), List.of(4), null)),
                    List.of(new LabelCapture.QcOverrideNote("laterality", "left stated in the clinical history, images are midline")),
                    java.util.Map.of(first.seriesUid(), first.files())));
            assertThat(again.qcOverrides()).isEqualTo(1);
            assertThat(f.count("select count(*) from TrainingLabel"))
                    .isEqualTo(24L);
            // A verdict on a finding of another study is refused, not stored.
            assertThatThrownBy(() -> f.learning.capture().record(new LabelCapture.Signing(LearningFixture.FACILITY,
                    studies.get(1).studyUid(), "report-x", "dr-test", List.of(new LabelCapture.FindingVerdict(ai.getId(), Verdict.REJECTED)),
                    List.of(), List.of(), null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not findings of study");
            assertThatThrownBy(() -> f.learning.capture().record(new LabelCapture.Signing(LearningFixture.FACILITY,
                    first.studyUid(), "report-y", "dr-test", List.of(new LabelCapture.FindingVerdict(ai.getId(), Verdict.ADDED_MISSED)),
                    List.of(), List.of(), null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MissedFinding");
            assertThat(f.count("select count(*) from TrainingLabel where reportId in ('report-x', 'report-y')")).isZero();

            // Monitoring: sensitivity and PPV of version 1.0.0 from these verdicts, and an alert below the floor.
            var figures = f.learning.monitor().figures(LearningFixture.MODEL);
            assertThat(figures).hasSize(1);
            var v1 = figures.get(0);
            assertThat(v1.version()).isEqualTo("1.0.0");
            assertThat(v1.studies()).isEqualTo(24);
            if (v1.confirmed() + v1.missed() > 0) {
                assertThat(v1.sensitivity()).isEqualTo((double) v1.confirmed() / (v1.confirmed() + v1.missed()));
            }
            f.learning.monitor().check();
            long alerts = f.count("select count(*) from AuditEvent where action = 'agreement-below-floor'");
            assertThat(alerts).isEqualTo(v1.belowFloor() ? 1L : 0L);
            assertThat(v1.belowFloor()).as("a weak model under a 0.95 floor").isTrue();
            f.learning.monitor().check();
            assertThat(f.count("select count(*) from AuditEvent where action = 'agreement-below-floor'"))
                    .as("alerted once, not at every check").isEqualTo(1L);
        }
    }

    @Test
    void aBetterCandidateIsPromotedAutomaticallyAStudyInFlightFinishesOnItsVersionAndRollbackWorks() throws Exception {
        try (LearningFixture f = new LearningFixture(dir, 10, 1, AUTOMATIC)) {
            f.triageAndSign(f.batch(2000, 40));
            LearningFixture.PhantomStudy inFlight = f.phantom(9999, true);
            // The study starts on version 1.0.0: triage has chosen its model spec.
            ModelSpec v1 = f.registry.spec(LearningFixture.MODEL).orElseThrow();
            ModelResult before = new ModelRunner(f.registry).run(v1, inFlight.files());

            // The schedule sees 40 new labels (every 20) and retrains; the policy promotes the better candidate.
            assertThat(f.learning.schedule().tick()).containsExactly(LearningFixture.MODEL);
            List<ModelVersion> versions = f.learning.versions().list(LearningFixture.MODEL);
            assertThat(versions).extracting(ModelVersion::getVersion).containsExactly("1.0.0", "1.1.0");
            ModelVersion candidate = versions.get(1);
            assertThat(candidate.getState()).as(candidate.getDecision()).isEqualTo(ModelVersion.State.CURRENT);
            assertThat(candidate.getDecidedBy()).isEqualTo("policy");
            assertThat(versions.get(0).getState()).isEqualTo(ModelVersion.State.RETIRED);
            String card = Files.readString(Path.of(candidate.getCardPath()));
            assertThat(card).contains("demonstration model, not for clinical use").contains("| AUC |").contains("Brier score")
                    .contains("Promoted automatically").contains("reliability bins");
            var eval = new com.fasterxml.jackson.databind.ObjectMapper().readTree(candidate.getEvaluation());
            double candAuc = eval.path("candidate").path("auc").asDouble(), curAuc = eval.path("current").path("auc").asDouble();
            assertThat(candAuc).isGreaterThanOrEqualTo(curAuc + 0.02);
            assertThat(card).contains(String.format(java.util.Locale.ROOT, "| AUC | %.3f | %.3f |", candAuc, curAuc));
            assertThat(Path.of(candidate.getOnnxPath())).isRegularFile();

            // Swapped without a restart: the registry runs 1.1.0 now, and the model YAML names it.
            assertThat(f.registry.spec(LearningFixture.MODEL).orElseThrow().version()).isEqualTo("1.1.0");
            assertThat(Files.readString(f.modelsDir.resolve(LearningFixture.MODEL + ".yaml"))).contains("version: 1.1.0");
            // The study in flight finishes on 1.0.0, with exactly what 1.0.0 says.
            ModelResult after = new ModelRunner(f.registry).run(v1, inFlight.files());
            assertThat(after.ran()).as(String.valueOf(after.skippedReason())).isTrue();
            assertThat(after.modelVersion()).isEqualTo("1.0.0");
            assertThat(after.studyProbability("bleed")).isEqualTo(before.studyProbability("bleed"));
            // A new study runs on 1.1.0, and its finding records that version.
            TriageDecision next = f.triage(f.phantom(9998, true));
            assertThat(next.modelResults()).extracting(ModelResult::modelVersion).containsExactly("1.1.0");
            assertThat(f.list("from AiFinding where label = 'bleed' order by id desc", AiFinding.class).get(0).getModelVersion())
                    .isEqualTo("1.1.0");

            // Rollback to the earlier version, again without a restart.
            ModelVersion back = f.learning.versions().rollback(LearningFixture.MODEL, null, "dr-lead");
            assertThat(back.getVersion()).isEqualTo("1.0.0");
            assertThat(f.registry.spec(LearningFixture.MODEL).orElseThrow().version()).isEqualTo("1.0.0");
            assertThat(f.learning.versions().find(LearningFixture.MODEL, "1.1.0").orElseThrow().getState())
                    .isEqualTo(ModelVersion.State.RETIRED);
            ModelResult rolledBack = new ModelRunner(f.registry).run(f.registry.spec(LearningFixture.MODEL).orElseThrow(), inFlight.files());
            assertThat(rolledBack.studyProbability("bleed")).isEqualTo(before.studyProbability("bleed"));
            // ... and forward again to any version by name.
            f.learning.versions().rollback(LearningFixture.MODEL, "1.1.0", "dr-lead");
            assertThat(f.registry.spec(LearningFixture.MODEL).orElseThrow().version()).isEqualTo("1.1.0");
            assertThat(f.list("from AuditEvent where action = 'model-version-in-service' order by id", AuditEvent.class))
                    .extracting(AuditEvent::getDetail).anySatisfy(d -> assertThat(d).startsWith("1.0.0: rolled back by dr-lead"));
        }
    }

    /** A strong model in service, a careless teacher on the training side: the candidate is worse and must wait. */
    @Test
    void aWorseCandidateWaitsForApprovalRunsInShadowAndCanBeApproved() throws Exception {
        try (LearningFixture f = new LearningFixture(dir, 200, 30, AUTOMATIC)) {
            for (LearningFixture.PhantomStudy s : f.batch(3000, 40)) {
                f.triage(s);
                boolean holdout = LabelledExamples.inHoldout(s.studyUid(), 0.4);
                // Correct on the held-out side (the yardstick), wrong on most of the training side.
                boolean careless = !holdout && s.studyUid().hashCode() % 4 != 0;
                f.sign(s, careless != s.bleed());
            }
            Retrainer.Outcome o = f.learning.retrainer().retrain(LearningFixture.MODEL, "test");
            assertThat(o.promoted()).isFalse();
            assertThat(o.candidateMeasures().auc()).as("the careless teacher's candidate is worse").isLessThan(o.currentMeasures().auc());
            assertThat(o.decision().reasons()).anySatisfy(r -> assertThat(r).contains("not better by the margin"));
            ModelVersion waiting = f.learning.versions().find(LearningFixture.MODEL, "1.1.0").orElseThrow();
            assertThat(waiting.getState()).isEqualTo(ModelVersion.State.WAITING_APPROVAL);
            assertThat(waiting.isShadow()).isTrue();
            assertThat(Files.readString(o.modelCard())).contains("Waiting for approval");
            assertThat(f.registry.spec(LearningFixture.MODEL).orElseThrow().version()).isEqualTo("1.0.0");

            // Shadow: the candidate runs beside 1.0.0 on a live study; triage sees only 1.0.0.
            LearningFixture.PhantomStudy live = f.phantom(7777, true);
            TriageDecision d = f.triage(live);
            assertThat(d.modelResults()).extracting(ModelResult::modelVersion).containsExactly("1.0.0");
            List<ShadowRun> runs = f.learning.shadow().observe(LearningFixture.FACILITY, live.studyUid(), live.files(), d.modelResults());
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).getCandidateVersion()).isEqualTo("1.1.0");
            assertThat(runs.get(0).getCurrentVersion()).isEqualTo("1.0.0");
            assertThat(runs.get(0).getCurrentProbability()).isEqualTo(d.modelResults().get(0).studyProbability("bleed"));
            assertThat(f.learning.shadow().agreement(LearningFixture.MODEL)).singleElement()
                    .satisfies(a -> assertThat(a.runs()).isEqualTo(1));
            assertThat(f.count("select count(*) from AiFinding where modelVersion = '1.1.0'")).as("a shadow run is never a finding").isZero();

            // Approving a version that is not waiting is refused; approving the candidate puts it in service.
            assertThatThrownBy(() -> f.learning.versions().approve(LearningFixture.MODEL, "1.0.0", "dr-lead"))
                    .isInstanceOf(IllegalStateException.class);
            f.learning.versions().approve(LearningFixture.MODEL, "1.1.0", "dr-lead");
            assertThat(f.registry.spec(LearningFixture.MODEL).orElseThrow().version()).isEqualTo("1.1.0");
            assertThat(f.learning.versions().find(LearningFixture.MODEL, "1.1.0").orElseThrow().getDecidedBy()).isEqualTo("dr-lead");
            // In service now, so no longer in shadow.
            assertThat(f.learning.shadow().candidate(LearningFixture.MODEL)).isEmpty();
            assertThat(f.learning.versions().find(LearningFixture.MODEL, "1.1.0").orElseThrow().isShadow()).isFalse();
        }
    }
}
