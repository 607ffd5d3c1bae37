package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Odd or broken input gives a verdict, never an exception that would stop the QC stage. */
class QcRobustnessTest {

    @Test
    void anEmptyReportIsBlockedNotThrown() {
        ReportUnderReview r = new ReportUnderReview(null, new ReportUnderReview.Template("t", List.of("findings", "impression"), null, null),
                null, null, null, null, null, null, null, null, null, false, null);
        QcResult result = QcTestSupport.engine().review(r);
        assertThat(result.verdict()).isEqualTo(QcVerdict.BLOCK);
        assertThat(result.firedRules()).containsExactly("required-sections");
        assertThat(result.issues()).hasSize(2);
    }

    @Test
    void nullTextsAndHalfFilledAiFindingsAreTolerated() {
        Map<String, String> sections = new HashMap<>();
        sections.put("findings", "No pneumothorax; measures 5 x . ; [***");
        sections.put("impression", null);
        sections.put("comparison", "CT of 31/02/2025 and 2025-13-40.");
        ReportUnderReview r = new ReportUnderReview(sections, null, java.util.Arrays.asList("", null), Side.parse("X"), Side.parse(null),
                Side.parse("L"), null, new ReportUnderReview.PatientIdentity(null, null, null, null, null), null, null,
                List.of(new ReportUnderReview.AiReview(null, null, null, Double.NaN, null, null, null),
                        new ReportUnderReview.AiReview(null, null, null, 0.99, null, ReportUnderReview.Verdict.CONFIRMED, null)),
                false, List.of(new ReportUnderReview.PatientIdentity(null, null, null, null, null)));
        QcResult result = QcTestSupport.engine().review(r);
        assertThat(result.verdict()).isNotNull();
        assertThat(result.firedRules()).contains("placeholder").doesNotContain("comparison-date", "ai-discordance");
    }

    @Test
    void aRuleThatFailsBecomesAnIssueOfItsSeverityAndTheOthersStillRun() {
        QcCheck broken = report -> {
            throw new IllegalStateException("boom");
        };
        QcEngine engine = new QcEngine(QcTestSupport.lexicon(), QcRulesTest.criticalLexicon(), List.of(
                new QcEngine.ActiveRule("laterality", Severity.BLOCK, broken),
                new QcEngine.ActiveRule("placeholder", Severity.BLOCK, new PlaceholderCheck(RuleParameters.none()))));
        QcResult result = engine.review(QcTestSupport.report("A [***] mm cyst.", "Cyst.").build());
        assertThat(result.verdict()).isEqualTo(QcVerdict.BLOCK);
        assertThat(result.firedRules()).containsExactly("laterality", "placeholder");
        assertThat(result.issuesOf("laterality").get(0).explanation()).contains("could not run").contains("IllegalStateException");
    }
}
