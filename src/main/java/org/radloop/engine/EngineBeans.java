package org.radloop.engine;

import java.time.Duration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.radloop.api.ApiRoutes;
import org.radloop.ingest.DicomInstanceIndexer;
import org.radloop.ingest.DicomQuarantine;
import org.radloop.ingest.FacilityAeTitles;
import org.radloop.ingest.Hl7Ingest;
import org.radloop.ingest.OrderMatcher;
import org.radloop.ingest.StudyCompletionDetector;
import org.radloop.ingest.TriageHandoff;

/**
 * The named beans that the YAML routes refer to ({@code ref: hl7OrderIngest} and the like): the one
 * place where each stage's processors are put into Camel's registry.
 */
final class EngineBeans {

    private EngineBeans() {
    }

    static void bind(RadLoopEngine engine, Main main) {
        bindHl7Ingest(engine, main);
        bindStudyIngest(engine, main);
        bindLearning(engine, main);

        // HTTP API (health, metrics, messages, orders, facilities, studies) on the platform-http server.
        main.configure().addRoutesBuilder(new ApiRoutes(engine));
        // Camel's own per-route exchange counts and timings, in the same registry as /metrics.
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(engine.metrics().registry());
        main.bind("routeMetrics", routeMetrics);
    }

    /** DICOM studies: indexing, order matching, completion and hand-off to triage. */
    private static void bindStudyIngest(RadLoopEngine engine, Main main) {
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
                quarantine, engine.metrics(), engine.clock()));
        main.bind("studyCompletionDetector", new StudyCompletionDetector(engine.store(), engine.facilities(), matcher,
                triage, engine.clock(), Duration.ofSeconds(settings.getLong("radloop.study.quiet.period.seconds", 10))));
        main.bind("facilityAeTitles", new FacilityAeTitles(engine.facilities(), settings.get("radloop.dicom.aet", "RADLOOP")));
    }

    /**
     * The learning loop: label capture (called by reporting at signing), model versions, shadow mode,
     * retraining and monitoring; {@code routes/learning.yaml} runs the schedule.
     */
    private static void bindLearning(RadLoopEngine engine, Main main) {
        org.radloop.learning.Learning learning = new org.radloop.learning.Learning(engine.settings(), engine.store(),
                engine.models(), engine.metrics().registry(), engine.clock());
        main.bind("learning", learning);
        main.bind("labelCapture", learning.capture());
        main.bind("shadowMode", learning.shadow());
        main.bind("learningSchedule", learning.schedule());
        // The shadow candidates' ONNX sessions are closed with the engine.
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport m) {
                learning.close();
            }
        });
    }

    /** HL7 v2 orders and patient updates over MLLP, committed before their ACK. */
    private static void bindHl7Ingest(RadLoopEngine engine, Main main) {
        // camel-mllp logs message contents (PHI) unless told not to; logPhi is a component option,
        // so the Kamelet cannot set it: the "mllp" component itself is configured here.
        MllpComponent mllp = new MllpComponent();
        mllp.setLogPhi(false);
        main.bind("mllp", mllp);

        Hl7Ingest hl7 = new Hl7Ingest(engine.settings(), engine.store(), engine.broker().connectionFactory(),
                engine.facilities(), engine.metrics());
        main.bind("hl7OrderIngest", hl7.processor());
        main.bind("messageReplayer", hl7.replayer());
        main.bind("ingestQueuePublisher", hl7.publisher());
        // Started and stopped with the Camel context: after the broker is up, before it goes down.
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    m.getCamelContext().addService(hl7.publisher(), true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start the ingest queue publisher", e);
                }
            }
        });
    }
}
