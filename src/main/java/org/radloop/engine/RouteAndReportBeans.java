package org.radloop.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.radloop.config.ConfigProblem;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.SchemaValidator;
import org.radloop.delivery.AcknowledgementLink;
import org.radloop.delivery.CriticalResults;
import org.radloop.ingest.Hl7OrderIngest;
import org.radloop.model.NodeLeases;
import org.radloop.model.StageOutboxEntry;
import org.radloop.reporting.DraftWriter;
import org.radloop.reporting.InboundReports;
import org.radloop.reporting.ReportDesk;
import org.radloop.reporting.TemplateLibrary;
import org.radloop.routing.CaseDesk;
import org.radloop.routing.CaseRouter;
import org.radloop.routing.ProcedureCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of the route and report stages (routes/routing.yaml, routes/reporting.yaml) and of their
 * API ({@code org.radloop.api.RoutingApi}), and the hand-over of ORU^R01 results from the HL7 stage
 * to reporting.
 */
final class RouteAndReportBeans {

    private static final Logger LOG = LoggerFactory.getLogger(RouteAndReportBeans.class);

    private RouteAndReportBeans() {
    }

    static void bind(RadLoopEngine engine, Main main, StageOutboxPublisher outbox) {
        var settings = engine.settings();
        SchemaValidator validator = new SchemaValidator(settings.confDir().resolve("schemas"));
        RadiologistRoster roster = new RadiologistRoster(settings.confDir().resolve("radiologists.yaml"), validator);
        List<ConfigProblem> problems = roster.reload();
        if (!problems.isEmpty()) LOG.warn("{} roster problem(s); nobody is assigned until conf/radiologists.yaml is fixed", problems.size());
        ProcedureCatalogue procedures = new ProcedureCatalogue(settings.mappingsDir().resolve("procedures.yaml"), validator);
        TemplateLibrary templates = new TemplateLibrary(settings.mappingsDir().resolve("templates"), validator);
        // Stage messages commit in the outbox with the change that owes them; the engine's publisher
        // puts them on their queues.
        Consumer<List<StageOutboxEntry>> publisher = outbox::publish;
        // Several nodes may share the database: the sweep runs on the one holding its lease; on-call
        // pages go out through the critical-results channels (bean "criticalResults", bound after this).
        NodeLeases leases = new NodeLeases(engine.store(), nodeName(settings));
        CaseRouter router = new CaseRouter(engine.store(), engine.clock(), roster, engine.facilities(), procedures, publisher,
                leases, Duration.ofSeconds(settings.getLong("radloop.routing.sweep.lease.seconds", 60)),
                () -> {
                    CriticalResults critical = main.getCamelContext().getRegistry().lookupByNameAndType("criticalResults", CriticalResults.class);
                    return critical == null ? null : critical.onCallPager();
                },
                AcknowledgementLink.from(settings).baseUrl(), Duration.ofMinutes(settings.getLong("radloop.routing.load.check.minutes", 60)));
        DraftWriter drafts = new DraftWriter(engine.store(), templates, procedures, engine.clock());
        main.bind("radiologistRoster", roster);
        main.bind("caseRouter", router);
        main.bind("caseDesk", new CaseDesk(router));
        main.bind("draftWriter", drafts);
        main.bind("reportDesk", new ReportDesk(engine.store(), engine.clock(), publisher));
        InboundReports inbound = new InboundReports(engine.store(), drafts, engine.clock());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                Hl7OrderIngest hl7 = m.getCamelContext().getRegistry().lookupByNameAndType("hl7OrderIngest", Hl7OrderIngest.class);
                if (hl7 != null) hl7.acceptResults(inbound);
            }

            @Override
            public void afterStop(BaseMainSupport m) {
                try {
                    router.releaseLease();
                } catch (RuntimeException e) {
                    LOG.debug("Sweep lease not released (it expires by itself): {}", e.getMessage());
                }
            }
        });
    }

    /** This node's name among those sharing the database: radloop.node.name, else host, process and a random part. */
    static String nodeName(org.radloop.config.RadLoopSettings settings) {
        String name = settings.get("radloop.node.name", null);
        if (name != null && !name.isBlank()) return name;
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }
}
