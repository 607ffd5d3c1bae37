package org.radloop.qc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/** conf/qc-rules.yaml and the QC lexicons are refused with file, line and field when they are wrong. */
class QcConfigTest {
    @TempDir
    Path dir;

    private final SchemaValidator validator = new SchemaValidator(TestEngine.projectHome().resolve("conf/schemas"));

    private ConfigProblem firstProblem(Runnable read) {
        try {
            read.run();
        } catch (ConfigException e) {
            return e.problems().get(0);
        }
        throw new AssertionError("the file was accepted");
    }

    /** Writes a qc-rules.yaml and returns the first problem reading it. */
    private ConfigProblem rulesProblem(String yaml) throws Exception {
        Path f = dir.resolve("qc-rules.yaml");
        Files.writeString(f, yaml);
        return firstProblem(() -> QcRulesConfig.read(validator, f));
    }

    @Test
    void theProjectFilesAreValidAndNameEveryRule() {
        QcRulesConfig rules = QcRulesConfig.read(validator, TestEngine.projectHome().resolve("conf/qc-rules.yaml"));
        assertThat(rules.rules().keySet()).containsExactlyInAnyOrderElementsOf(QcEngine.RULE_IDS);
        assertThat(rules.rule("laterality").severity()).isEqualTo(Severity.BLOCK);
        assertThat(rules.rule("measurements").severity()).isEqualTo(Severity.WARN);
    }

    @Test
    void anUnknownRuleIsRefusedWithItsLine() throws Exception {
        ConfigProblem p = rulesProblem("rules:\n  placeholder:\n    enabled: true\n    severity: block\n  spelling:\n    enabled: true\n    severity: warn\n");
        assertThat(p.file()).isEqualTo(dir.resolve("qc-rules.yaml"));
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.message()).contains("spelling");
    }

    @Test
    void aBadSeverityNamesFieldAndLine() throws Exception {
        ConfigProblem p = rulesProblem("rules:\n  placeholder:\n    enabled: true\n    severity: stop\n");
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.field()).isEqualTo("rules.placeholder.severity");
    }

    @Test
    void aMistypedParameterIsRefused() throws Exception {
        ConfigProblem p = rulesProblem("rules:\n  ai-discordance:\n    enabled: true\n    severity: warn\n    parameters:\n      minProbabilty: 0.8\n");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.field()).isEqualTo("rules.ai-discordance.parameters");
        assertThat(p.message()).contains("minProbabilty");
    }

    @Test
    void anInvalidRegularExpressionIsRefusedWithItsLine() throws Exception {
        ConfigProblem p = rulesProblem("rules:\n  placeholder:\n    enabled: true\n    severity: block\n    parameters:\n      patterns:\n        - \"\\\\[\\\\*+\\\\]\"\n        - \"[unclosed\"\n");
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.field()).isEqualTo("rules.placeholder.parameters.patterns[1]");
        assertThat(p.message()).contains("not a valid regular expression");
    }

    @Test
    void aLexiconFindingRelatedToNothingIsRefused() throws Exception {
        String lexicon = Files.readString(TestEngine.projectHome().resolve("mappings/qc-lexicon.yaml"))
                .replace("related: [pneumonia], aiLabels: [consolidation]", "related: [pnuemonia], aiLabels: [consolidation]");
        Path f = dir.resolve("qc-lexicon.yaml");
        Files.writeString(f, lexicon);
        ConfigProblem p = firstProblem(() -> QcLexicon.read(validator, f));
        assertThat(p.field()).isEqualTo("findings.consolidation.related[0]");
        assertThat(p.message()).contains("pnuemonia");
        assertThat(Files.readAllLines(f).get(p.line() - 1)).contains("consolidation: {");
    }

    @Test
    void aCriticalCategoryOutOfRangeIsRefused() throws Exception {
        Path f = dir.resolve("critical-findings.yaml");
        Files.writeString(f, "findings:\n  pneumothorax:\n    name: Pneumothorax\n    category: 4\n    terms: [pneumothorax]\n");
        ConfigProblem p = firstProblem(() -> CriticalLexicon.read(validator, f, TestEngine.projectHome().resolve("conf/critical-results.yaml")));
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.field()).isEqualTo("findings.pneumothorax.category");
    }

    @Test
    void aBadDeadlineIsRefused() throws Exception {
        Path f = dir.resolve("critical-results.yaml");
        Files.writeString(f, "categories:\n  1: {name: one, acknowledgeWithin: 60 minutes}\n  2: {name: two, acknowledgeWithin: 6h}\n  3: {name: three, acknowledgeWithin: 3d}\n");
        assertThatThrownBy(() -> CriticalLexicon.read(validator, TestEngine.projectHome().resolve("mappings/critical-findings.yaml"), f))
                .isInstanceOf(ConfigException.class).hasMessageContaining("categories[1].acknowledgeWithin").hasMessageContaining(":2:");
    }

    @Test
    void configValidateReportsQcProblemsAndAcceptsTheProjectFiles() throws Exception {
        Path home = TestEngine.projectHome();
        assertThat(QcEngine.check(home.resolve("conf"), home.resolve("mappings"))).isEmpty();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("mappings"));
        Path schemas = Files.createDirectories(conf.resolve("schemas"));
        try (var list = Files.list(home.resolve("conf/schemas"))) {
            for (Path s : list.toList()) Files.copy(s, schemas.resolve(s.getFileName()));
        }
        Files.writeString(conf.resolve("qc-rules.yaml"), "rules:\n  laterality:\n    enabled: yes please\n    severity: block\n");
        List<ConfigProblem> problems = QcEngine.check(conf, dir.resolve("mappings"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(conf.resolve("qc-rules.yaml"));
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.field()).isEqualTo("rules.laterality.enabled");
        });
    }
}
