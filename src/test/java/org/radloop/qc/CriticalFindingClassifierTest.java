package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/** ACR categories of a signed report's critical findings, from its final text and its confirmed AI findings. */
class CriticalFindingClassifierTest {

    private final CriticalFindingClassifier classifier = QcTestSupport.engine().classifier();

    private List<CriticalFinding> classify(ReportUnderReview.Builder b) {
        return classifier.classify(b.build());
    }

    @Test
    void tensionPneumothoraxIsCategoryOneWithinAnHour() {
        ReportUnderReview r = QcTestSupport.report("Left tension pneumothorax with mediastinal shift.", "Left tension pneumothorax.").build();
        List<CriticalFinding> f = classifier.classify(r);
        assertThat(f).hasSize(1);
        CriticalFinding t = f.get(0);
        assertThat(t.id()).isEqualTo("tension-pneumothorax");
        assertThat(t.category()).isEqualTo(1);
        assertThat(t.deadline()).isEqualTo(Duration.ofMinutes(15));
        assertThat(t.source()).isEqualTo(CriticalFinding.Source.REPORT_TEXT);
        assertThat(t.span().section()).isEqualTo("findings");
        assertThat(r.sections().get("findings").substring(t.span().start(), t.span().end())).isEqualTo("tension pneumothorax");
        assertThat(t.known()).isFalse();
    }

    @Test
    void categoriesTwoAndThreeCarryTheirDeadlinesAndSortMostUrgentFirst() {
        List<CriticalFinding> f = classify(QcTestSupport.report("Spiculated mass in the right upper lobe. Free intraperitoneal air. Small bowel obstruction.",
                "Pneumoperitoneum; small bowel obstruction; spiculated mass."));
        assertThat(f).extracting(CriticalFinding::id).containsExactly("free-air", "bowel-obstruction", "suspected-malignancy");
        assertThat(f).extracting(CriticalFinding::category).containsExactly(1, 2, 3);
        assertThat(f.get(1).deadline()).isEqualTo(Duration.ofHours(4));
        assertThat(f.get(2).deadline()).isEqualTo(Duration.ofDays(3));
        assertThat(classifier.highestCategory(f)).contains(1);
    }

    @Test
    void negatedFindingsAreNotCritical() {
        assertThat(classify(QcTestSupport.report("No pneumothorax. No evidence of aortic dissection.", "Pulmonary embolism is not seen."))).isEmpty();
        assertThat(classifier.highestCategory(List.of())).isEmpty();
    }

    @Test
    void theClinicalHistoryIsNotAFinding() {
        assertThat(classify(QcTestSupport.report("Lungs clear.", "Normal chest.").section("history", "Rule out pneumothorax."))).isEmpty();
    }

    @Test
    void aConfirmedAiFindingCountsAndAnUnconfirmedOneDoesNot() {
        List<CriticalFinding> f = classify(QcTestSupport.report("Hyperdensity in the basal cisterns.", "Basal cistern hyperdensity.")
                .ai(new ReportUnderReview.AiReview("ich", null, null, 0.95, 0.5, ReportUnderReview.Verdict.CONFIRMED, null)));
        assertThat(f).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("intracranial-haemorrhage");
            assertThat(c.category()).isEqualTo(1);
            assertThat(c.source()).isEqualTo(CriticalFinding.Source.CONFIRMED_AI);
            assertThat(c.span()).isNull();
        });
        assertThat(classify(QcTestSupport.report("Lungs clear.", "Normal.")
                .ai(new ReportUnderReview.AiReview("pneumothorax", null, null, 0.95, 0.5, ReportUnderReview.Verdict.NONE, null)))).isEmpty();
        assertThat(classify(QcTestSupport.report("Lungs clear.", "Normal.")
                .ai(new ReportUnderReview.AiReview(null, "RID5352", null, 0.95, 0.5, ReportUnderReview.Verdict.REJECTED, "skin fold")))).isEmpty();
        assertThat(classify(QcTestSupport.report("Lungs clear.", "Normal.")
                .ai(new ReportUnderReview.AiReview(null, "RID5352", null, 0.95, 0.5, ReportUnderReview.Verdict.CONFIRMED, null))))
                .extracting(CriticalFinding::id).containsExactly("pneumothorax");
    }

    @Test
    void aFindingTheTextAlreadyNamesIsListedOnce() {
        List<CriticalFinding> f = classify(QcTestSupport.report("Small right pneumothorax.", "Small right pneumothorax.")
                .ai(new ReportUnderReview.AiReview("pneumothorax", null, null, 0.9, 0.5, ReportUnderReview.Verdict.CONFIRMED, null)));
        assertThat(f).singleElement().extracting(CriticalFinding::source).isEqualTo(CriticalFinding.Source.REPORT_TEXT);
    }

    @Test
    void aGappedTermAllowsWordsInBetweenButNotANegation() {
        assertThat(classify(QcTestSupport.report("Hypodensity.", "Acute right MCA territory infarct.")))
                .extracting(CriticalFinding::id).containsExactly("acute-stroke");
        assertThat(classify(QcTestSupport.report("Acute abdominal pain without haemorrhage.", "Normal."))).isEmpty();
        assertThat(classify(QcTestSupport.report("Acute pain and an old infarct.", "Old infarct."))).isEmpty();
    }

    @Test
    void aFindingTheReportCallsUnchangedIsMarkedKnown() {
        List<CriticalFinding> f = classify(QcTestSupport.report("Small left apical pneumothorax, unchanged from yesterday.", "Unchanged pneumothorax."));
        assertThat(f).singleElement().satisfies(c -> assertThat(c.known()).isTrue());
    }

    @Test
    void deadlinesComeFromTheConfiguration(@TempDir Path dir) throws Exception {
        Path home = TestEngine.projectHome();
        Path deadlines = dir.resolve("critical-results.yaml");
        Files.writeString(deadlines, "categories:\n  1: {name: one, acknowledgeWithin: 30m}\n  2: {name: two, acknowledgeWithin: 2h}\n  3: {name: three, acknowledgeWithin: 36h}\n");
        CriticalLexicon lex = CriticalLexicon.read(new SchemaValidator(home.resolve("conf/schemas")), home.resolve("mappings/critical-findings.yaml"), deadlines);
        CriticalFindingClassifier c = new CriticalFindingClassifier(lex, QcTestSupport.lexicon());
        List<CriticalFinding> f = c.classify(QcTestSupport.report("Aortic dissection. Acute appendicitis. Abdominal aortic aneurysm.", "As above.").build());
        assertThat(f).extracting(CriticalFinding::deadline).containsExactly(Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(36));
    }
}
