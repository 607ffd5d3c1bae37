package org.radloop.qc;

import java.util.function.Supplier;
import org.radloop.config.SchemaValidator;
import org.radloop.delivery.CriticalResultNotifier;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.StageSender;
import org.radloop.reporting.TemplateLibrary;

/**
 * Builds the QC stage of a running engine from its configuration folders: the engine's rules,
 * lexicons and critical-result deadlines read once at start (an invalid file stops the start with
 * file, line and field, as {@code radloop config validate} reports it, in an ERROR log line: the
 * stage then holds every signed report rather than let one leave unchecked), and the report templates.
 *
 * @param stage    the radloop.qc consumer (bean {@code reportQualityStage})
 * @param override the override of a block (bean {@code qcOverride}, {@code POST /api/reports/{id}/qc-override})
 */
public record QcStageWiring(ReportQualityStage stage, QcOverride override) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QcStageWiring.class);

    public static QcStageWiring create(RadLoopEngine engine, Supplier<CriticalResultNotifier> notifier) {
        var settings = engine.settings();
        SchemaValidator v = new SchemaValidator(settings.confDir().resolve("schemas"));
        QcEngine qc = null;
        String unavailable = null;
        try {
            qc = new QcEngine(QcRulesConfig.read(v, settings.confDir().resolve("qc-rules.yaml")),
                    QcLexicon.read(v, settings.mappingsDir().resolve("qc-lexicon.yaml")),
                    CriticalLexicon.read(v, settings.mappingsDir().resolve("critical-findings.yaml"),
                            settings.confDir().resolve("critical-results.yaml")));
        } catch (RuntimeException e) {
            // The engine still starts (ingest, triage and reading go on), but no report leaves unchecked:
            // every QC message fails, is redelivered and ends on radloop.qc.dlq, to replay once fixed.
            unavailable = e.getMessage();
            LOG.error("QC is not available, signed reports are held on radloop.qc: {}", unavailable);
        }
        TemplateLibrary templates = new TemplateLibrary(settings.mappingsDir().resolve("templates"), v);
        QcRelease release = new QcRelease(engine.store(), new StageSender(engine.broker().connectionFactory()), notifier);
        return new QcStageWiring(
                new ReportQualityStage(engine.store(), qc, unavailable, new ReviewGatherer(templates), release, engine.clock()),
                new QcOverride(engine.store(), release, engine.clock()));
    }
}
