package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.radloop.support.TestEngine;

/**
 * The labelled QC corpus (src/test/resources/qc-corpus): every report is checked with the project's
 * own conf/qc-rules.yaml and lexicons, and each rule's precision and recall over the whole corpus must
 * be at least 0.9. Labels are what a radiologist would say about the report, not what the code says;
 * the cases the engine gets wrong stay in the corpus and are printed.
 */
class QcCorpusTest {
    static final double MINIMUM = 0.9;
    static QcEngine engine;
    static List<CorpusCase> corpus;

    @BeforeAll
    static void load() throws Exception {
        engine = QcEngine.fromHome(TestEngine.projectHome());
        corpus = CorpusCase.load(Path.of("src/test/resources/qc-corpus"));
    }

    record Counts(int tp, int fp, int fn, int designedPositives, int designedNegatives) {
        double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }
    }

    @Test
    void eachRuleReachesPrecisionAndRecallOnTheCorpus() {
        Map<String, int[]> c = new LinkedHashMap<>();
        QcEngine.RULE_IDS.forEach(id -> c.put(id, new int[5]));
        List<String> misses = new ArrayList<>();
        for (CorpusCase k : corpus) {
            Set<String> fired = engine.review(k.report()).firedRules();
            for (String rule : QcEngine.RULE_IDS) {
                int[] n = c.get(rule);
                boolean expected = k.expect().contains(rule);
                boolean got = fired.contains(rule);
                if (expected && got) n[0]++;
                if (!expected && got) {
                    n[1]++;
                    misses.add("FP " + rule + " " + k.file() + "#" + k.id() + " " + engine.review(k.report()).issuesOf(rule));
                }
                if (expected && !got) {
                    n[2]++;
                    misses.add("FN " + rule + " " + k.file() + "#" + k.id());
                }
                if (k.targets().contains(rule) || expected) {
                    if (expected) n[3]++;
                    else n[4]++;
                }
            }
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%nQC corpus: %d reports%n%-24s %5s %5s %4s %4s %4s %9s %6s%n",
                corpus.size(), "rule", "pos", "neg", "TP", "FP", "FN", "precision", "recall"));
        Map<String, Counts> counts = new LinkedHashMap<>();
        c.forEach((rule, n) -> {
            Counts k = new Counts(n[0], n[1], n[2], n[3], n[4]);
            counts.put(rule, k);
            table.append(String.format(Locale.ROOT, "%-24s %5d %5d %4d %4d %4d %9.3f %6.3f%n", rule, k.designedPositives(),
                    k.designedNegatives(), k.tp(), k.fp(), k.fn(), k.precision(), k.recall()));
        });
        table.append("Disagreements with the labels (kept in the corpus):\n");
        misses.forEach(m -> table.append("  ").append(m).append('\n'));
        System.out.println(table);

        assertThat(corpus.size()).as("corpus reports").isGreaterThanOrEqualTo(200);
        assertThat(corpus.stream().map(CorpusCase::id).distinct().count()).isEqualTo(corpus.size());
        counts.forEach((rule, k) -> {
            assertThat(k.designedPositives()).as(rule + " positive cases").isGreaterThanOrEqualTo(15);
            assertThat(k.designedNegatives()).as(rule + " negative cases").isGreaterThanOrEqualTo(15);
            assertThat(k.precision()).as(rule + " precision\n" + table).isGreaterThanOrEqualTo(MINIMUM);
            assertThat(k.recall()).as(rule + " recall\n" + table).isGreaterThanOrEqualTo(MINIMUM);
        });
    }
}
