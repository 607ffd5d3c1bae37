package org.radloop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RoutingPolicy;

/**
 * The decision alone, reader by reader: every hard constraint excludes with its reason, the score
 * prefers the subspecialist, a critical case displaces unopened routine work from a full reader, and
 * a general radiologist covers only after the configured wait.
 */
class AssignmentEngineTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final RoutingPolicy POLICY = RoutingPolicy.defaults();
    final AssignmentEngine engine = new AssignmentEngine();

    static RadiologistConfig reader(String id, List<String> subs, List<String> licences, int max) {
        return new RadiologistConfig(id, id, subs, List.of("st-marys"), licences, "Europe/London",
                List.of(new RadiologistConfig.Shift(List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), "00:00", "24:00")),
                max, 9, List.of(new RadiologistConfig.Conflict(null, "Relative")));
    }

    static ReaderState on(RadiologistConfig r, int open, double openRvu, double shiftRvu, Long displaceable) {
        return new ReaderState(r, true, null, NOW.minus(Duration.ofHours(2)), open, openRvu, shiftRvu, displaceable);
    }

    static CaseNeeds headCt(String urgency, Instant waitingSince, String provider) {
        return new CaseNeeds(1, "st-marys", "GB-ENG", "neuro", urgency, 0.85, NOW.plus(Duration.ofHours(4)), waitingSince, provider,
                Set.of(), Set.of());
    }

    @Test
    void anUnlicensedOffShiftFullOrConflictedReaderIsNeverChosenAndEachExclusionSaysWhy() {
        ReaderState unlicensed = on(reader("unlicensed", List.of("neuro"), List.of("US-NY"), 10), 0, 0, 0, null);
        ReaderState offShift = new ReaderState(reader("off", List.of("neuro"), List.of("GB-ENG"), 10), false, "away since 09:00",
                null, 0, 0, 0, null);
        ReaderState full = on(reader("full", List.of("neuro"), List.of("GB-ENG"), 2), 2, 1.7, 1.7, 99L);
        ReaderState busyButFree = on(reader("busy", List.of("neuro"), List.of("GB-ENG"), 10), 6, 8.0, 12, null);

        AssignmentEngine.Decision d = engine.decide(headCt("ROUTINE", NOW, null), List.of(unlicensed, offShift, full, busyButFree), NOW, POLICY);
        assertThat(d.chosen()).as("the only reader passing every constraint, however busy").isEqualTo("busy");
        assertThat(d.excluded()).containsEntry("unlicensed", "not licensed in GB-ENG")
                .containsEntry("off", "off shift: away since 09:00")
                .containsEntry("full", "full: 2 open cases of 2");
        assertThat(d.displacedCase()).as("routine work never displaces").isNull();

        AssignmentEngine.Decision conflicted = engine.decide(headCt("ROUTINE", NOW, "Relative, A [77]"), List.of(busyButFree), NOW, POLICY);
        assertThat(conflicted.assigned()).isFalse();
        assertThat(conflicted.excluded().get("busy")).contains("conflict");

        AssignmentEngine.Decision nobody = engine.decide(headCt("URGENT", NOW, null), List.of(unlicensed, offShift, full), NOW, POLICY);
        assertThat(nobody.assigned()).isFalse();
        assertThat(nobody.excluded()).hasSize(3);
    }

    @Test
    void theNeuroradiologistGetsTheHeadCtOverALessBusyGeneralRadiologist() {
        ReaderState neuro = on(reader("neuro", List.of("neuro"), List.of("GB-ENG"), 10), 3, 2.5, 6, null);
        ReaderState general = on(reader("general", List.of("general", "body"), List.of("GB-ENG"), 10), 0, 0, 0, null);
        AssignmentEngine.Decision d = engine.decide(headCt("CRITICAL", NOW, null), List.of(general, neuro), NOW, POLICY);
        assertThat(d.chosen()).isEqualTo("neuro");
        assertThat(d.parts()).containsEntry("subspecialty", 40.0);
        assertThat(d.runnersUp()).containsKey("general");
    }

    @Test
    void aGeneralRadiologistCoversRoutineNeuroWorkOnlyAfterTheWait() {
        ReaderState general = on(reader("general", List.of("general"), List.of("GB-ENG"), 10), 0, 0, 0, null);
        AssignmentEngine.Decision fresh = engine.decide(headCt("ROUTINE", NOW.minus(Duration.ofMinutes(30)), null), List.of(general), NOW, POLICY);
        assertThat(fresh.assigned()).isFalse();
        assertThat(fresh.excluded().get("general")).contains("only after 120 min");
        AssignmentEngine.Decision waited = engine.decide(headCt("ROUTINE", NOW.minus(Duration.ofMinutes(121)), null), List.of(general), NOW, POLICY);
        assertThat(waited.chosen()).isEqualTo("general");
        assertThat(waited.parts()).containsEntry("subspecialty", 10.0);
    }

    @Test
    void aCriticalCasePreemptsUnopenedRoutineWorkWhenEveryQualifiedReaderIsFull() {
        ReaderState fullWithRoutine = on(reader("neuro-1", List.of("neuro"), List.of("GB-ENG"), 2), 2, 1.7, 1.7, 41L);
        ReaderState fullAllOpened = on(reader("neuro-2", List.of("neuro"), List.of("GB-ENG"), 2), 2, 1.7, 1.7, null);
        AssignmentEngine.Decision routine = engine.decide(headCt("ROUTINE", NOW, null), List.of(fullWithRoutine, fullAllOpened), NOW, POLICY);
        assertThat(routine.assigned()).isFalse();

        AssignmentEngine.Decision critical = engine.decide(headCt("CRITICAL", NOW, null), List.of(fullWithRoutine, fullAllOpened), NOW, POLICY);
        assertThat(critical.chosen()).isEqualTo("neuro-1");
        assertThat(critical.displacedCase()).isEqualTo(41L);
        assertThat(critical.excluded()).containsKey("neuro-2").doesNotContainKey("neuro-1");
    }

    @Test
    void loadContinuityAndFairnessMoveTheScoreAsDocumented() {
        ReaderState rested = on(reader("rested", List.of("neuro"), List.of("GB-ENG"), 10), 0, 0, 0, null);
        ReaderState loaded = on(reader("loaded", List.of("neuro"), List.of("GB-ENG"), 10), 4, 4.5, 9, null);
        CaseNeeds plain = headCt("URGENT", NOW, null);
        assertThat(engine.decide(plain, List.of(loaded, rested), NOW, POLICY).chosen()).isEqualTo("rested");
        AssignmentEngine.Decision d = engine.decide(plain, List.of(loaded, rested), NOW, POLICY);
        assertThat(d.parts().get("fairness")).isPositive();
        assertThat(d.runnersUp().get("loaded")).isLessThan(d.score());

        CaseNeeds withPriors = new CaseNeeds(1, "st-marys", "GB-ENG", "neuro", "URGENT", 0.85, NOW.plus(Duration.ofHours(4)), NOW, null,
                Set.of(), Set.of("loaded"));
        ReaderState lightlyLoaded = on(reader("loaded", List.of("neuro"), List.of("GB-ENG"), 10), 1, 0.85, 0.85, null);
        AssignmentEngine.Decision continuity = engine.decide(withPriors, List.of(lightlyLoaded, rested), NOW, POLICY);
        assertThat(continuity.chosen()).as("the reader of the patient's priors").isEqualTo("loaded");
        assertThat(continuity.parts()).containsEntry("continuity", 15.0);

        CaseNeeds tight = new CaseNeeds(1, "st-marys", "GB-ENG", "neuro", "CRITICAL", 0.85, NOW.plus(Duration.ofMinutes(10)), NOW, null,
                Set.of(), Set.of());
        assertThat(engine.decide(tight, List.of(loaded), NOW, POLICY).parts()).containsEntry("deadline", -30.0);
    }
}
