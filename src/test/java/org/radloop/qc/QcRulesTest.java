package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule's issue: the rule id, the configured severity, the exact span it points at and an
 * explanation that quotes the text and says what to do. And the verdict the issues add up to.
 */
class QcRulesTest {

    private static QcResult review(ReportUnderReview r) {
        return QcTestSupport.engine().review(r);
    }

    private static QcIssue only(QcResult r, String rule) {
        assertThat(r.firedRules()).as(r.issues().toString()).containsExactly(rule);
        assertThat(r.issues()).hasSize(1);
        return r.issues().get(0);
    }

    private static void spanIs(QcIssue i, ReportUnderReview r, String section, String text) {
        assertThat(i.span().section()).isEqualTo(section);
        assertThat(i.span().text()).isEqualTo(text);
        assertThat(r.sections().get(section).substring(i.span().start(), i.span().end())).isEqualTo(text);
    }

    @Test
    void aCleanReportPasses() {
        QcResult r = review(QcTestSupport.report("The lungs are clear. No pleural effusion or pneumothorax.", "Normal chest.").build());
        assertThat(r.verdict()).isEqualTo(QcVerdict.PASS);
        assertThat(r.issues()).isEmpty();
    }

    @Test
    void missingImpressionBlocks() {
        ReportUnderReview rep = ReportUnderReview.builder().section("findings", "Lungs clear.")
                .template(new ReportUnderReview.Template("t", List.of("findings", "impression"), null, null)).build();
        QcResult r = review(rep);
        QcIssue i = only(r, "required-sections");
        assertThat(r.verdict()).isEqualTo(QcVerdict.BLOCK);
        assertThat(i.severity()).isEqualTo(Severity.BLOCK);
        assertThat(i.span().section()).isEqualTo("impression");
        assertThat(i.explanation()).isEqualTo("The template requires an impression section and this report has none.");
    }

    @Test
    void missingRequiredFieldNamesTheField() {
        ReportUnderReview rep = QcTestSupport.report("No suspicious mass.", "Benign.")
                .template(new ReportUnderReview.Template("mammo", List.of("findings", "impression"),
                        List.of(new ReportUnderReview.RequiredField("the BI-RADS category", "impression", "BI-?RADS\\s*[0-6]")), null)).build();
        QcIssue i = only(review(rep), "required-sections");
        assertThat(i.explanation()).isEqualTo("The template requires the BI-RADS category in the impression and it is not there.");
    }

    @Test
    void wrongSideInTheTextPointsAtTheWord() {
        ReportUnderReview rep = QcTestSupport.report("Joint effusion of the right knee.", "Right knee joint effusion.")
                .laterality(Side.LEFT, Side.LEFT, Side.LEFT).build();
        QcResult r = review(rep);
        assertThat(r.firedRules()).containsExactly("laterality");
        assertThat(r.issues()).hasSize(2);
        QcIssue i = r.issues().get(0);
        spanIs(i, rep, "findings", "right");
        assertThat(i.explanation()).contains("left-sided examination (the order)").contains("\"Joint effusion of the right knee.\"");
        assertThat(r.verdict()).isEqualTo(QcVerdict.BLOCK);
    }

    @Test
    void sourcesThatDisagreeOnTheSideAreNamed() {
        ReportUnderReview rep = QcTestSupport.report("No fracture.", "No fracture.").laterality(Side.LEFT, null, Side.RIGHT).build();
        QcIssue i = only(review(rep), "laterality");
        assertThat(i.span()).isNull();
        assertThat(i.explanation()).contains("the order says left").contains("the images (DICOM laterality) says right");
    }

    @Test
    void maleAnatomyInAWomansReportWarns() {
        ReportUnderReview rep = QcTestSupport.report("The prostate is mildly enlarged.", "No acute abnormality.").build();
        QcResult r = review(rep);
        QcIssue i = only(r, "sex-specific-anatomy");
        spanIs(i, rep, "findings", "prostate");
        assertThat(i.severity()).isEqualTo(Severity.WARN);
        assertThat(r.verdict()).isEqualTo(QcVerdict.WARN);
        assertThat(i.explanation()).contains("\"prostate\" is male anatomy").contains("recorded sex is female");
    }

    @Test
    void omittedFindingQuotesItsSentence() {
        ReportUnderReview rep = QcTestSupport.report("Small right pleural effusion. Lungs otherwise clear.", "No acute abnormality.").build();
        QcIssue i = only(review(rep), "impression-omission");
        spanIs(i, rep, "findings", "pleural effusion");
        assertThat(i.explanation()).contains("\"right pleural effusion\"").contains("(\"Small right pleural effusion.\")")
                .contains("impression does not mention it");
    }

    @Test
    void unsupportedClaimSaysTheFindingsDenyIt() {
        ReportUnderReview rep = QcTestSupport.report("The lungs are clear. No consolidation.", "Right lower lobe pneumonia.").build();
        QcIssue i = only(review(rep), "impression-unsupported");
        spanIs(i, rep, "impression", "pneumonia");
        assertThat(i.explanation()).contains("\"right pneumonia\"").contains("the findings do not describe it");
        ReportUnderReview denied = QcTestSupport.report("No pneumothorax.", "Small pneumothorax.").notificationStarted(true).build();
        assertThat(only(review(denied), "impression-unsupported").explanation()).contains("the findings say it is absent (\"No pneumothorax.\")");
    }

    @Test
    void confidentAiFindingCalledAbsentGetsASecondLook() {
        ReportUnderReview rep = QcTestSupport.report("No pneumothorax.", "Normal chest.")
                .ai(new ReportUnderReview.AiReview("pneumothorax", null, "right pneumothorax", 0.93, 0.5, null, null)).build();
        QcIssue i = only(review(rep), "ai-discordance");
        spanIs(i, rep, "findings", "No pneumothorax.");
        assertThat(i.explanation()).contains("The AI reported right pneumothorax (93%)").contains("the report says it is absent");
        ReportUnderReview rejected = QcTestSupport.report("Lungs clear.", "Normal chest.")
                .ai(new ReportUnderReview.AiReview("pneumothorax", null, null, 0.93, 0.5, ReportUnderReview.Verdict.REJECTED, " ")).build();
        assertThat(only(review(rejected), "ai-discordance").explanation()).contains("rejected without a reason");
        ReportUnderReview reasoned = QcTestSupport.report("No pneumothorax.", "Normal chest.")
                .ai(new ReportUnderReview.AiReview("pneumothorax", null, null, 0.93, 0.5, ReportUnderReview.Verdict.REJECTED, "skin fold")).build();
        assertThat(review(reasoned).issues()).isEmpty();
    }

    @Test
    void criticalFindingWithoutNotificationIsFlaggedWithItsDeadline() {
        ReportUnderReview rep = QcTestSupport.report("Large left pneumothorax.", "Large left pneumothorax.").build();
        QcResult r = review(rep);
        QcIssue i = only(r, "critical-not-notified");
        spanIs(i, rep, "findings", "pneumothorax");
        // A warning in conf/qc-rules.yaml: the QC stage opens the notification itself when it releases the report.
        assertThat(r.verdict()).isEqualTo(QcVerdict.WARN);
        assertThat(i.severity()).isEqualTo(Severity.WARN);
        assertThat(i.explanation()).contains("ACR category 2").contains("within 4 hours");
        assertThat(review(QcTestSupport.report("Large left pneumothorax.", "Large left pneumothorax.").notificationStarted(true).build())
                .issues()).isEmpty();
    }

    @Test
    void measurementIssuesPointAtTheNumber() {
        ReportUnderReview slip = QcTestSupport.report("The right kidney measures 11 mm.", "Normal kidneys.").build();
        QcIssue i = only(review(slip), "measurements");
        spanIs(i, slip, "findings", "11 mm");
        assertThat(i.explanation()).contains("not a plausible size for a kidney (expected 50 to 160 mm)");
        ReportUnderReview unitless = QcTestSupport.report("The spleen measures 13.", "Normal spleen.").build();
        QcIssue u = only(review(unitless), "measurements");
        spanIs(u, unitless, "findings", "13");
        assertThat(u.explanation()).contains("\"measures 13\" has no unit");
        ReportUnderReview mismatch = QcTestSupport.report("An 8 mm nodule in the right upper lobe.", "18 mm right upper lobe nodule.").build();
        QcIssue m = only(review(mismatch), "measurements");
        spanIs(m, mismatch, "impression", "18 mm");
        assertThat(m.explanation()).contains("gives the pulmonary nodule as 18 mm but the findings give 8 mm");
    }

    @Test
    void placeholderIsQuoted() {
        ReportUnderReview rep = QcTestSupport.report("A [***] mm lesion in the liver.", "Small liver lesion.").build();
        QcIssue i = only(review(rep), "placeholder");
        spanIs(i, rep, "findings", "[***]");
        assertThat(i.explanation()).isEqualTo("The findings still contains the placeholder \"[***]\". Fill it in or remove it.");
    }

    @Test
    void templateSentenceThatContradictsIsTheSpan() {
        ReportUnderReview rep = QcTestSupport.report("The lungs are clear. Right lower lobe consolidation.", "Right lower lobe pneumonia.")
                .template(new ReportUnderReview.Template("cxr", List.of("findings", "impression"), null, List.of("The lungs are clear."))).build();
        QcIssue i = only(review(rep), "template-contradiction");
        spanIs(i, rep, "findings", "The lungs are clear.");
        assertThat(i.explanation()).contains("was left in").contains("\"Right lower lobe consolidation.\"");
    }

    @Test
    void anotherPatientsNameIsFound() {
        ReportUnderReview rep = QcTestSupport.report("Grace Okafor: lungs clear.", "Normal chest.")
                .otherOpenStudy(new ReportUnderReview.PatientIdentity("F", "Okafor", "Grace", List.of("40099881"), "A7000456")).build();
        QcIssue i = only(review(rep), "other-patient");
        spanIs(i, rep, "findings", "Grace Okafor");
        assertThat(i.explanation()).contains("another patient's name");
        ReportUnderReview own = QcTestSupport.report("Comparison under MRN 40012345 and A7000001. Lungs clear.", "Normal chest.").build();
        assertThat(review(own).issues()).isEmpty();
    }

    @Test
    void comparisonDateWithoutAPriorIsFlagged() {
        ReportUnderReview rep = QcTestSupport.report("Lungs clear.", "No change.").section("comparison", "CT chest of 12/01/2025.")
                .studyDate(LocalDate.of(2025, 6, 2)).prior(LocalDate.of(2025, 3, 4)).build();
        QcIssue i = only(review(rep), "comparison-date");
        spanIs(i, rep, "comparison", "12/01/2025");
        assertThat(i.explanation()).contains("the prior studies on record are from 2025-03-04");
        ReportUnderReview ok = QcTestSupport.report("Lungs clear.", "No change.").section("comparison", "CT chest of 04/03/2025.")
                .prior(LocalDate.of(2025, 3, 4)).build();
        assertThat(review(ok).issues()).isEmpty();
    }

    @Test
    void aDisabledRuleDoesNotRun() {
        QcRulesConfig only = new QcRulesConfig(java.util.Map.of("placeholder",
                new QcRulesConfig.RuleSettings("placeholder", false, Severity.BLOCK, RuleParameters.none())));
        QcEngine engine = new QcEngine(only, QcTestSupport.lexicon(), criticalLexicon());
        assertThat(engine.review(QcTestSupport.report("XXX", "Normal.").build()).issues()).isEmpty();
    }

    static CriticalLexicon criticalLexicon() {
        java.nio.file.Path home = org.radloop.support.TestEngine.projectHome();
        return CriticalLexicon.read(new org.radloop.config.SchemaValidator(home.resolve("conf/schemas")),
                home.resolve("mappings/critical-findings.yaml"), home.resolve("conf/critical-results.yaml"));
    }
}
