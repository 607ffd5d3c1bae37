package org.radloop.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.radloop.config.FacilityConfig;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/** The documented priority formula (PriorityPolicy, docs/triage-priority.md) with the real lexicon. */
class TriagePriorityTest {

    static final FacilityConfig.Turnaround TURNAROUND = new FacilityConfig.Turnaround(60, 240, 2880);
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    final ClinicalRules rules = new ClinicalRules(TriageLexicon.read(
            new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas")),
            TestEngine.projectHome().resolve("mappings/triage-lexicon.yaml")));
    final PriorityPolicy policy = new PriorityPolicy();

    private TriageDecision decide(OrderFacts order, List<String> descriptions, Duration waited, List<Finding> findings) {
        return policy.decide(findings, rules.evaluate(order, descriptions), NOW.minus(waited), NOW, TURNAROUND,
                List.of(), List.of());
    }

    private static OrderFacts order(String priority, String patientClass, String reason, String... codes) {
        return new OrderFacts(priority, patientClass, null, reason, List.of(codes));
    }

    private static Finding bleed(double p) {
        return new Finding("ct-head-bleed-demo", "1.0.0", "bleed", p, 0.4, "RADLOOP-DEMO-ICH",
                "Suspected intracranial haemorrhage", 5, List.of(6));
    }

    @Test
    void aStatOrderToRuleOutStrokeIsUrgentWithoutAnyModel() {
        TriageDecision d = decide(order("STAT", "O", "Rule out stroke"), List.of(), Duration.ZERO, List.of());

        assertThat(d.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(d.findings()).isEmpty();
        assertThat(d.ruleScore()).isEqualTo(ClinicalRules.MAX_RULE_SCORE); // 45 stroke + 40 STAT, capped
        assertThat(d.jmsPriority()).isEqualTo(7);
        assertThat(d.deadline()).isEqualTo(NOW.plus(Duration.ofMinutes(240)));
        assertThat(d.reasons()).extracting(Reason::code).contains("lexicon:stroke", "order-priority:STAT");
        assertThat(d.reasons()).filteredOn(r -> r.code().equals("lexicon:stroke"))
                .singleElement().extracting(Reason::text).asString().contains("'stroke'");
    }

    @Test
    void aRoutineOutpatientWithNothingUrgentIsRoutine() {
        TriageDecision d = decide(order("ROUTINE", "O", "Chronic knee pain, type 2 diabetes"), List.of("MR KNEE LEFT"),
                Duration.ofMinutes(10), List.of());
        assertThat(d.urgency()).isEqualTo(Urgency.ROUTINE);
        assertThat(d.ruleScore()).isZero();
        assertThat(d.jmsPriority()).isEqualTo(4);
        assertThat(d.reasons()).extracting(Reason::kind).containsOnly(Reason.Kind.AGEING);
    }

    @Test
    void diagnosisCodesLocationAndProtocolsCountToo() {
        TriageDecision byCode = decide(order("ROUTINE", "I", "headache", "R51", "I61.9"), List.of(), Duration.ZERO, List.of());
        assertThat(byCode.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(byCode.reasons()).extracting(Reason::code).contains("lexicon:haemorrhage", "patient-class:inpatient");

        TriageDecision byProtocol = decide(order("ROUTINE", "O", null), List.of("CT HEAD STROKE PROTOCOL"), Duration.ZERO, List.of());
        assertThat(byProtocol.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(byProtocol.reasons()).extracting(Reason::text).anyMatch(t -> t.contains("Study protocol 'CT HEAD STROKE PROTOCOL'"));

        TriageDecision inEd = decide(new OrderFacts("ASAP", null, "ED RESUS 3", "fall", List.of()), List.of(), Duration.ZERO, List.of());
        assertThat(inEd.ruleScore()).isEqualTo(20 + 10);
        assertThat(inEd.reasons()).extracting(Reason::code).contains("location:emergency", "patient-class:emergency");
        assertThat(inEd.urgency()).isEqualTo(Urgency.ROUTINE);
    }

    @Test
    void aRoutineStudyPastItsDeadlineOvertakesNewerUrgentButNotCriticalOnes() {
        TriageDecision overdueRoutine = decide(order("ROUTINE", "O", "follow-up nodule"), List.of(),
                Duration.ofMinutes(2880 + 1), List.of());
        TriageDecision almostDueRoutine = decide(order("ROUTINE", "O", "follow-up nodule"), List.of(),
                Duration.ofMinutes(2880 - 1), List.of());
        TriageDecision newStroke = decide(order("STAT", "E", "rule out stroke"), List.of(), Duration.ZERO, List.of());
        TriageDecision halfwayPe = decide(order("ASAP", "I", "?PE"), List.of(), Duration.ofMinutes(120), List.of());
        TriageDecision newTrauma = decide(order("ASAP", "E", "trauma"), List.of(), Duration.ofMinutes(5), List.of());

        assertThat(newStroke.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(halfwayPe.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(newTrauma.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(overdueRoutine.urgency()).isEqualTo(Urgency.ROUTINE);
        assertThat(overdueRoutine.overdue()).isTrue();
        assertThat(overdueRoutine.reasons()).extracting(Reason::code).contains("overdue");
        // S = C + A: 0 + 100 (just overdue) against at most 79 + 20 for any study within its deadline.
        assertThat(overdueRoutine.score()).isGreaterThanOrEqualTo(100);
        assertThat(ordered(newStroke, halfwayPe, newTrauma, overdueRoutine, almostDueRoutine))
                .containsExactly(overdueRoutine, newStroke, halfwayPe, newTrauma, almostDueRoutine);
        assertThat(overdueRoutine.jmsPriority()).isGreaterThan(newStroke.jmsPriority());
    }

    @Test
    void aCriticalFindingOutranksEverything() {
        TriageDecision critical = decide(order("ROUTINE", "O", "headache"), List.of(), Duration.ZERO, List.of(bleed(0.62)));
        TriageDecision veryOverdueStatStroke = decide(order("STAT", "E", "stroke"), List.of(), Duration.ofDays(3), List.of());
        TriageDecision veryOverdueRoutine = decide(order("ROUTINE", "O", null), List.of(), Duration.ofDays(30), List.of());

        assertThat(critical.urgency()).isEqualTo(Urgency.CRITICAL);
        assertThat(critical.findingScore()).isCloseTo(62, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(critical.jmsPriority()).isEqualTo(9);
        assertThat(critical.deadline()).isEqualTo(NOW.plus(Duration.ofMinutes(60)));
        assertThat(critical.reasons()).extracting(Reason::code).contains("finding:RADLOOP-DEMO-ICH");
        assertThat(ordered(veryOverdueRoutine, veryOverdueStatStroke, critical)).first().isEqualTo(critical);

        // A finding below severity 4 raises the score but does not make the study critical.
        Finding moderate = new Finding("m", "1", "x", 0.9, 0.5, "X", "moderate", 3, List.of(1));
        TriageDecision notCritical = decide(order("ROUTINE", "O", null), List.of(), Duration.ZERO, List.of(moderate));
        assertThat(notCritical.urgency()).isEqualTo(Urgency.URGENT);
        assertThat(notCritical.clinicalScore()).isCloseTo(54, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static List<TriageDecision> ordered(TriageDecision... decisions) {
        return Stream.of(decisions).sorted(Comparator.comparingDouble(TriageDecision::score).reversed()).toList();
    }
}
