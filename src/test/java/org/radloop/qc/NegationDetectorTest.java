package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The NegEx-style detector: triggers, scope, terminators and pseudo-negations. */
class NegationDetectorTest {

    private static boolean negated(String sentence, String term) {
        // As the engine reads a report: split into sentences first, then ask about the term's sentence.
        NegationDetector d = QcTestSupport.lexicon().negation();
        int at = sentence.toLowerCase(Locale.ROOT).indexOf(term.toLowerCase(Locale.ROOT));
        assertThat(at).as("'" + term + "' in '" + sentence + "'").isGreaterThanOrEqualTo(0);
        Sentence s = SentenceSplitter.split("findings", sentence).stream()
                .filter(x -> at >= x.start() && at < x.end()).findFirst().orElseThrow();
        return d.isNegated(s, at, at + term.length());
    }

    @Test
    void preNegationDeniesWhatFollowsWithinTheSentence() {
        assertThat(negated("No pneumothorax.", "pneumothorax")).isTrue();
        assertThat(negated("There is no evidence of acute intracranial haemorrhage.", "haemorrhage")).isTrue();
        assertThat(negated("No focal consolidation, pleural effusion or pneumothorax.", "pneumothorax")).isTrue();
        assertThat(negated("No left-sided effusion.", "effusion")).isTrue();
    }

    @Test
    void postNegationDeniesWhatPrecedes() {
        assertThat(negated("Pneumothorax is not seen.", "pneumothorax")).isTrue();
        assertThat(negated("The previously seen pneumothorax has resolved.", "pneumothorax")).isTrue();
        assertThat(negated("The uterus is surgically absent.", "uterus")).isTrue();
    }

    @Test
    void terminatorsAndSentenceEndsStopTheScope() {
        assertThat(negated("No fracture, but there is a large joint effusion.", "joint effusion")).isFalse();
        assertThat(negated("No pleural effusion however there is consolidation.", "consolidation")).isFalse();
        assertThat(negated("No pneumothorax. Small left pleural effusion.", "pleural effusion")).isFalse();
        assertThat(negated("Right kidney unremarkable; no hydronephrosis; left renal cyst.", "cyst")).isFalse();
    }

    @Test
    void pseudoNegationsAreNotNegations() {
        assertThat(negated("No change in the left pleural effusion.", "pleural effusion")).isFalse();
        assertThat(negated("Not only consolidation but also effusion.", "consolidation")).isFalse();
        assertThat(negated("Pulmonary embolism cannot be excluded.", "pulmonary embolism")).isFalse();
        assertThat(negated("No interval change of the nodule.", "nodule")).isFalse();
    }

    @Test
    void scopeIsLimitedInWords() {
        // 8 words is the configured scope: a finding further away is not denied (a known limit of NegEx windows).
        assertThat(negated("No evidence of the previously described large irregular and very dense spiculated mass.", "mass")).isFalse();
        assertThat(negated("No evidence of a large spiculated mass.", "mass")).isTrue();
    }

    @Test
    void theTriggerIsNamed() {
        String s = "There is no evidence of pneumothorax.";
        PhraseMatcher.Match t = QcTestSupport.lexicon().negation().negatingTrigger(new Sentence("findings", 0, s.length(), s),
                s.indexOf("pneumothorax"), s.indexOf("pneumothorax") + 12);
        assertThat(t.text()).isEqualTo("no evidence of");
    }

    /** The sentence corpus: precision and recall of "denied" must be at least 0.9. */
    @Test
    void sentenceCorpusReachesPrecisionAndRecall() throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(new File("src/test/resources/qc-negation/negation.yaml"));
        int tp = 0, fp = 0, fn = 0, tn = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode n : root.get("sentences")) {
            boolean expected = n.get("negated").asBoolean();
            boolean got = negated(n.get("text").asText(), n.get("term").asText());
            if (expected && got) tp++;
            else if (!expected && got) fp++;
            else if (expected) fn++;
            else tn++;
            if (expected != got) wrong.add((got ? "FP " : "FN ") + n.get("term").asText() + " in: " + n.get("text").asText());
        }
        double precision = (double) tp / (tp + fp);
        double recall = (double) tp / (tp + fn);
        System.out.printf(Locale.ROOT, "%nNegation corpus: %d sentences, TP %d FP %d FN %d TN %d, precision %.3f recall %.3f%n%s%n",
                tp + fp + fn + tn, tp, fp, fn, tn, precision, recall, String.join("\n", wrong));
        assertThat(tp + fp + fn + tn).isGreaterThanOrEqualTo(50);
        assertThat(precision).as("precision; wrong: " + wrong).isGreaterThanOrEqualTo(0.9);
        assertThat(recall).as("recall; wrong: " + wrong).isGreaterThanOrEqualTo(0.9);
    }
}
