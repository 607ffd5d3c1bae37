package org.radloop.qc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.SchemaValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report quality check: runs every enabled rule of conf/qc-rules.yaml over a report and gives
 * PASS, WARN or BLOCK with each issue's rule, severity, text span and explanation. Pure logic: the
 * caller gathers the {@link ReportUnderReview} and decides what a verdict does (a blocked report goes
 * back to its radiologist's worklist).
 */
public final class QcEngine {
    private static final Logger LOG = LoggerFactory.getLogger(QcEngine.class);

    /** Every rule the engine knows, by the id conf/qc-rules.yaml names it with. */
    private static Map<String, BiFunction<RuleParameters, QcEngine, QcCheck>> factories() {
        Map<String, BiFunction<RuleParameters, QcEngine, QcCheck>> f = new LinkedHashMap<>();
        f.put("required-sections", (p, e) -> new RequiredSectionsCheck(p));
        f.put("laterality", (p, e) -> new LateralityCheck(p));
        f.put("sex-specific-anatomy", (p, e) -> new SexSpecificAnatomyCheck(p));
        f.put("impression-omission", (p, e) -> new ImpressionOmissionCheck(p));
        f.put("impression-unsupported", (p, e) -> new ImpressionUnsupportedCheck(p));
        f.put("ai-discordance", (p, e) -> new AiDiscordanceCheck(p));
        f.put("critical-not-notified", (p, e) -> new CriticalNotificationCheck(p, e.classifier));
        f.put("measurements", (p, e) -> new MeasurementCheck(p, e.lexicon));
        f.put("placeholder", (p, e) -> new PlaceholderCheck(p));
        f.put("template-contradiction", (p, e) -> new TemplateContradictionCheck(p));
        f.put("other-patient", (p, e) -> new OtherPatientCheck(p));
        f.put("comparison-date", (p, e) -> new ComparisonDateCheck(p));
        return f;
    }

    public static final List<String> RULE_IDS = List.copyOf(factories().keySet());

    record ActiveRule(String id, Severity severity, QcCheck check) {
    }

    private final QcLexicon lexicon;
    private final CriticalFindingClassifier classifier;
    private final List<ActiveRule> rules = new ArrayList<>();

    public QcEngine(QcRulesConfig config, QcLexicon lexicon, CriticalLexicon critical) {
        this.lexicon = lexicon;
        this.classifier = new CriticalFindingClassifier(critical, lexicon);
        factories().forEach((id, factory) -> {
            QcRulesConfig.RuleSettings s = config.rule(id);
            if (s != null && s.enabled()) rules.add(new ActiveRule(id, s.severity(), factory.apply(s.parameters(), this)));
        });
    }

    /** An engine with the given rules (tests). */
    QcEngine(QcLexicon lexicon, CriticalLexicon critical, List<ActiveRule> active) {
        this.lexicon = lexicon;
        this.classifier = new CriticalFindingClassifier(critical, lexicon);
        this.rules.addAll(active);
    }

    /**
     * Reads the project's files: conf/qc-rules.yaml, mappings/qc-lexicon.yaml,
     * mappings/critical-findings.yaml and conf/critical-results.yaml, each against its schema.
     */
    public static QcEngine fromHome(Path home) {
        SchemaValidator v = new SchemaValidator(home.resolve("conf/schemas"));
        return new QcEngine(QcRulesConfig.read(v, home.resolve("conf/qc-rules.yaml")),
                QcLexicon.read(v, home.resolve("mappings/qc-lexicon.yaml")),
                CriticalLexicon.read(v, home.resolve("mappings/critical-findings.yaml"), home.resolve("conf/critical-results.yaml")));
    }

    /**
     * Checks the QC files of a configuration folder and its mappings folder without building an
     * engine, for {@code radloop config validate}: every problem as file, line, field. A file that
     * is not there is not checked (a folder may carry only facilities).
     */
    public static List<ConfigProblem> check(Path confDir, Path mappingsDir) {
        SchemaValidator v = new SchemaValidator(confDir.resolve("schemas"));
        List<ConfigProblem> problems = new ArrayList<>();
        Path rules = confDir.resolve("qc-rules.yaml");
        Path lexicon = mappingsDir.resolve("qc-lexicon.yaml");
        Path critical = mappingsDir.resolve("critical-findings.yaml");
        Path deadlines = confDir.resolve("critical-results.yaml");
        collect(problems, rules, () -> QcRulesConfig.read(v, rules));
        collect(problems, lexicon, () -> QcLexicon.read(v, lexicon));
        if (java.nio.file.Files.exists(critical) && java.nio.file.Files.exists(deadlines)) {
            collect(problems, critical, () -> CriticalLexicon.read(v, critical, deadlines));
        }
        return problems;
    }

    private static void collect(List<ConfigProblem> problems, Path file, Runnable read) {
        if (!java.nio.file.Files.exists(file)) return;
        try {
            read.run();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }

    public QcResult review(ReportUnderReview report) {
        ReportReading reading = new ReportReading(report, lexicon);
        List<QcIssue> issues = new ArrayList<>();
        for (ActiveRule r : rules) {
            List<Flag> flags;
            try {
                flags = r.check().check(reading);
            } catch (RuntimeException e) {
                // A rule that cannot read this report must not let it through unchecked, nor stop the others:
                // it becomes an issue of the rule's own severity. No report text in the log (PHI).
                LOG.warn("QC rule {} failed on a report: {}", r.id(), e.getClass().getName());
                flags = List.of(new Flag(null, "The " + r.id() + " check could not run on this report ("
                        + e.getClass().getSimpleName() + "); check this aspect by hand."));
            }
            for (Flag f : flags) issues.add(new QcIssue(r.id(), r.severity(), f.span(), f.explanation()));
        }
        return QcResult.of(issues);
    }

    public CriticalFindingClassifier classifier() {
        return classifier;
    }

    public QcLexicon lexicon() {
        return lexicon;
    }
}
