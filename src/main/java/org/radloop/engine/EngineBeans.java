package org.radloop.engine;

import java.time.Duration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.radloop.api.ApiRoutes;
import org.radloop.config.SchemaValidator;
import org.radloop.config.RadiologistConfig;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.RetryPolicy;
import org.radloop.delivery.CriticalResultNotifier;
import org.radloop.delivery.CriticalResults;
import org.radloop.delivery.DeliveryWiring;
import org.radloop.delivery.ReportSource;
import org.radloop.ingest.DicomInstanceIndexer;
import org.radloop.qc.QcStageWiring;
import org.radloop.reporting.DeliverableReports;
import org.radloop.ingest.DicomQuarantine;
import org.radloop.ingest.FacilityAeTitles;
import org.radloop.ingest.Hl7Ingest;
import org.radloop.ingest.InstanceForwarder;
import org.radloop.ingest.PacsFollowUps;
import org.radloop.ingest.PriorFetcher;
import org.radloop.ingest.OrderMatcher;
import org.radloop.ingest.StudyCompletionDetector;
import org.radloop.ingest.TriageHandoff;
import org.radloop.triage.ClinicalRules;
import org.radloop.triage.PriorityPolicy;
import org.radloop.triage.StudyTriage;
import org.radloop.triage.TriageLexicon;
import org.radloop.triage.TriageRecorder;
import org.radloop.triage.TriageStage;

/**
 * The named beans that the YAML routes refer to ({@code ref: hl7OrderIngest} and the like): the one
 * place where each stage's processors are put into Camel's registry.
 */
final class EngineBeans {

    private EngineBeans() {
    }

    static void bind(RadLoopEngine engine, Main main) {
        StageOutboxPublisher publisher = bindStageOutbox(engine, main);
        bindHl7Ingest(engine, main, publisher);
        bindStudyIngest(engine, main, bindPacsForwardingAndPriors(engine, main));
        org.radloop.learning.Learning learning = bindLearning(engine, main);
        bindTriage(engine, main, learning);
        bindRoutingAndReporting(engine, main, publisher);
        bindCriticalResults(engine, main);
        bindDelivery(engine, main);
        bindQcAndReportSource(engine, main);

        // HTTP API (health, metrics, messages, orders, facilities, studies) on the platform-http server.
        main.configure().addRoutesBuilder(new ApiRoutes(engine));
        // Camel's own per-route exchange counts and timings, in the same registry as /metrics.
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(engine.metrics().registry());
        main.bind("routeMetrics", routeMetrics);
    }

    /** DICOM studies: indexing, order matching, completion and hand-off to triage. */
    private static void bindStudyIngest(RadLoopEngine engine, Main main, PacsFollowUps pacs) {
        var settings = engine.settings();
        TriageHandoff triage = new TriageHandoff(main::getCamelContext);
        OrderMatcher matcher = new OrderMatcher(engine.store(), engine.facilities(), triage, engine.clock(),
                Duration.ofHours(settings.getLong("radloop.study.match.window.hours", 24)));
        DicomQuarantine quarantine = new DicomQuarantine(engine.store(),
                settings.dataDir().resolve("quarantine/dicom"), engine.clock());
        main.bind("triageHandoff", triage);
        main.bind("orderMatcher", matcher);
        main.bind("dicomQuarantine", quarantine);
        main.bind("dicomInstanceIndexer", new DicomInstanceIndexer(engine.store(), engine.facilities(), matcher,
                quarantine, engine.metrics(), engine.clock(), pacs));
        main.bind("studyCompletionDetector", new StudyCompletionDetector(engine.store(), engine.facilities(), matcher,
                triage, engine.clock(), Duration.ofSeconds(settings.getLong("radloop.study.quiet.period.seconds", 10))));
        main.bind("facilityAeTitles", new FacilityAeTitles(engine.facilities(), settings.get("radloop.dicom.aet", "RADLOOP")));
    }

    /**
     * Forwarding to each facility's PACS and fetching priors from it (routes/forward-to-pacs.yaml,
     * routes/prior-fetch.yaml). Returns what the indexer records for them in its own transaction.
     */
    private static PacsFollowUps bindPacsForwardingAndPriors(RadLoopEngine engine, Main main) {
        var settings = engine.settings();
        main.bind("instanceForwarder", new InstanceForwarder(engine.store(), engine.facilities(), engine.clock(),
                RetryPolicy.from(settings, "radloop.forwarding", RetryPolicy.doubling(Duration.ofSeconds(10), Duration.ofMinutes(10), 12)),
                Duration.ofSeconds(settings.getLong("radloop.forwarding.claim.seconds", 300)),
                settings.getInt("radloop.forwarding.batch.size", 500), engine.metrics()));
        main.bind("priorFetcher", new PriorFetcher(engine.store(), engine.facilities(), main::getCamelContext, engine.clock(),
                RetryPolicy.from(settings, "radloop.priors", RetryPolicy.doubling(Duration.ofSeconds(30), Duration.ofMinutes(30), 8)),
                settings.get("radloop.dicom.aet", "RADLOOP")));
        return new PacsFollowUps(engine.facilities());
    }

    /** Triage: models, clinical rules and the priority score for every study handed off (routes/triage.yaml). */
    private static void bindTriage(RadLoopEngine engine, Main main, org.radloop.learning.Learning learning) {
        var settings = engine.settings();
        SchemaValidator validator = new SchemaValidator(settings.confDir().resolve("schemas"));
        TriageLexicon lexicon = TriageLexicon.read(validator, settings.mappingsDir().resolve("triage-lexicon.yaml"));
        StudyTriage triage = new StudyTriage(engine.models(), new ClinicalRules(lexicon), new PriorityPolicy());
        main.bind("studyTriageStage", new TriageStage(engine.store(), engine.facilities(), triage,
                new TriageRecorder(engine.store()), new StageSender(engine.broker().connectionFactory()), engine.clock(),
                engine.metrics(), learning.shadowObserver()));
    }

    /** Route and report: the roster, case assignment, draft reports, signing (docs/routing-assignment.md, docs/reporting.md). */
    private static void bindRoutingAndReporting(RadLoopEngine engine, Main main, StageOutboxPublisher publisher) {
        RouteAndReportBeans.bind(engine, main, publisher);
    }

    /** Closed-loop critical results: notification, escalation (routes/critical-results.yaml), acknowledgement. */
    private static void bindCriticalResults(RadLoopEngine engine, Main main) {
        CriticalResults critical = new CriticalResults(engine.settings(), engine.store(), engine.facilities(),
                engine.clock(), main::getCamelContext);
        main.bind("criticalResults", critical);
        main.bind("criticalResultNotifier", critical.notifier());
        main.bind("criticalResultEscalation", critical.escalation());
    }

    /**
     * Delivery of approved reports to each facility's channels. Reports are read through the bean
     * "reportSource" (a {@link ReportSource}), looked up per message so it may be bound later.
     */
    private static void bindDelivery(RadLoopEngine engine, Main main) {
        main.bind("deliveryStage", DeliveryWiring.stage(engine, main::getCamelContext,
                () -> main.getCamelContext().getRegistry().lookupByNameAndType("reportSource", ReportSource.class)));
    }

    /**
     * The learning loop: label capture (called by reporting at signing), model versions, shadow mode,
     * retraining and monitoring; {@code routes/learning.yaml} runs the schedule.
     */
    private static org.radloop.learning.Learning bindLearning(RadLoopEngine engine, Main main) {
        org.radloop.learning.Learning learning = new org.radloop.learning.Learning(engine.settings(), engine.store(),
                engine.models(), engine.metrics().registry(), engine.clock());
        main.bind("learning", learning);
        main.bind("labelCapture", learning.capture());
        main.bind("signedReportLabels", new org.radloop.learning.SignedReportLabels(engine.store(), learning.capture()));
        main.bind("shadowMode", learning.shadow());
        main.bind("learningSchedule", learning.schedule());
        // The shadow candidates' ONNX sessions are closed with the engine.
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport m) {
                learning.close();
            }
        });
        return learning;
    }

    /**
     * The QC stage between reporting and delivery (routes/qc.yaml, docs/qc.md "QC stage"), its override,
     * and the signed reports the deliver stage reads (bean "reportSource").
     */
    private static void bindQcAndReportSource(RadLoopEngine engine, Main main) {
        QcStageWiring qc = QcStageWiring.create(engine, () -> main.getCamelContext().getRegistry()
                .lookupByNameAndType("criticalResultNotifier", CriticalResultNotifier.class));
        main.bind("reportQualityStage", qc.stage());
        main.bind("qcOverride", qc.override());
        main.bind("reportSource", new DeliverableReports(engine.store(), id -> id == null ? null
                : main.getCamelContext().getRegistry().lookupByNameAndType("radiologistRoster", RadiologistRoster.class)
                        .byId(id).map(RadiologistConfig::name).orElse(null)));
    }

    /**
     * The stage outbox: every stage commits the messages it owes a queue with its change, and this one
     * publisher puts them on their queues (and re-sends what a crash left). Started and stopped with
     * the Camel context: after the broker is up, before it goes down.
     */
    private static StageOutboxPublisher bindStageOutbox(RadLoopEngine engine, Main main) {
        StageOutboxPublisher publisher = new StageOutboxPublisher(engine.store(), engine.broker().connectionFactory());
        main.bind("stageOutboxPublisher", publisher);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    m.getCamelContext().addService(publisher, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start the stage outbox publisher", e);
                }
            }
        });
        return publisher;
    }

    /** HL7 v2 orders and patient updates over MLLP, committed before their ACK. */
    private static void bindHl7Ingest(RadLoopEngine engine, Main main, StageOutboxPublisher publisher) {
        // camel-mllp logs message contents (PHI) unless told not to; logPhi is a component option,
        // so the Kamelet cannot set it: the "mllp" component itself is configured here.
        MllpComponent mllp = new MllpComponent();
        mllp.setLogPhi(false);
        main.bind("mllp", mllp);

        Hl7Ingest hl7 = new Hl7Ingest(engine.settings(), engine.store(), publisher, engine.facilities(), engine.metrics());
        main.bind("hl7OrderIngest", hl7.processor());
        main.bind("messageReplayer", hl7.replayer());
    }
}
