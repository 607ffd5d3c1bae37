package org.radloop.engine;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.radloop.config.ConfigProblem;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadLoopSettings;
import org.radloop.model.Facility;
import org.radloop.model.Store;
import org.radloop.triage.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RadLoop process: the store, the broker, the facility configuration and the Camel context
 * that runs the routes in {@code routes/} with the connectors in {@code connectors/}.
 *
 * <p>Order matters: the store and the broker start before Camel (routes consume from them at once)
 * and stop after it.
 */
public final class RadLoopEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RadLoopEngine.class);

    private final RadLoopSettings settings;
    private Store store;
    private MessageBroker broker;
    private FacilityRegistry facilities;
    private ModelRegistry models;
    private final RadLoopMetrics metrics = new RadLoopMetrics();
    private Main main;
    private ScheduledExecutorService configWatcher;
    private Clock clock = Clock.systemUTC();

    public RadLoopEngine(RadLoopSettings settings) {
        this.settings = settings;
    }

    public RadLoopEngine start() throws Exception {
        Files.createDirectories(settings.dataDir());
        store = Store.open(settings);
        broker = new MessageBroker(settings);
        broker.start();

        facilities = new FacilityRegistry(settings);
        facilities.onChange(f -> store.inTransaction(s -> {
            Facility row = s.find(Facility.class, f.config().id());
            if (row == null) s.persist(new Facility(f.config().id(), f.config().name(), f.config().timeZone()));
            else row.rename(f.config().name(), f.config().timeZone());
        }));
        List<ConfigProblem> problems = facilities.reload();
        if (!problems.isEmpty()) LOG.warn("{} facility configuration problem(s); the valid facilities run", problems.size());
        models = new ModelRegistry(settings, metrics.registry());
        List<ConfigProblem> modelProblems = models.reload();
        if (!modelProblems.isEmpty()) LOG.warn("{} model configuration problem(s); the valid models run", modelProblems.size());

        main = new Main();
        Properties props = settings.asProperties();
        props.setProperty("camel.main.name", "radloop");
        props.setProperty("camel.main.routesIncludePattern", "file:" + settings.routesDir() + "/*.yaml");
        props.setProperty("camel.component.kamelet.location", "file:" + settings.connectorsDir());
        props.setProperty("camel.main.shutdownTimeout", settings.get("radloop.shutdown.timeout.seconds", "10"));
        props.setProperty("camel.main.jmxEnabled", "false");
        main.setInitialProperties(props);
        main.bind("jms", stageQueues(broker));
        main.bind("settings", settings);
        main.bind("store", store);
        main.bind("broker", broker);
        main.bind("facilities", facilities);
        main.bind("models", models);
        main.bind("metrics", metrics);
        metrics.watchQueues(broker);
        EngineBeans.bind(this, main);
        // The HTTP server must be up before the routes start: a platform-http consumer binds to its
        // server's router when its route starts, and finds that router by the port in this bean
        // (8080 when there is none).
        VertxPlatformHttpServerConfiguration http = httpServerConfiguration();
        main.bind("platformHttpServerConfiguration", http);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    startHttpServer(m.getCamelContext(), http);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start the HTTP server: " + e.getMessage(), e);
                }
            }
        });
        main.start();

        long reloadMs = settings.getLong("radloop.config.reload.interval.ms", 2000);
        configWatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "radloop-config-watch");
            t.setDaemon(true);
            return t;
        });
        configWatcher.scheduleWithFixedDelay(this::reloadConfiguration, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        LOG.info("RadLoop started: data in {}, HL7 on port {}, HTTP on port {}", settings.dataDir(),
                settings.get("radloop.hl7.port", "2575"), settings.get("radloop.http.port", "8080"));
        return this;
    }

    /**
     * The {@code jms:} component every stage consumes with. {@code transacted: true} in a route then
     * means a local JMS session transaction (rolled back when the step throws, so Artemis redelivers
     * and finally dead-letters), not a Spring JmsTransactionManager: with a transaction manager the
     * listener container caches nothing and opens a new consumer for every message, and Artemis then
     * pushes a window of waiting messages to each new consumer and takes them back when it closes.
     * Under an HL7 load that churn took more CPU than the stages' own work (about 40 % of the engine's
     * samples in the December 2026 profile). Without the manager each listener thread keeps its
     * session and consumer.
     */
    private static JmsComponent stageQueues(MessageBroker broker) {
        JmsComponent jms = JmsComponent.jmsComponent(broker.connectionFactory());
        jms.getConfiguration().setLazyCreateTransactionManager(false);
        return jms;
    }

    private VertxPlatformHttpServerConfiguration httpServerConfiguration() {
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost(settings.get("radloop.http.host", "0.0.0.0"));
        http.setBindPort(settings.getInt("radloop.http.port", 8080));
        return http;
    }

    private void startHttpServer(CamelContext camel, VertxPlatformHttpServerConfiguration http) throws Exception {
        VertxPlatformHttpServer server = new VertxPlatformHttpServer(http);
        // Started here and now: before the context starts, addService would defer it until after the routes.
        camel.addService(server, true, false);
        server.start();
    }

    private void reloadConfiguration() {
        try {
            facilities.reload();
        } catch (RuntimeException e) {
            LOG.error("Configuration reload failed; the running configuration stays", e);
        }
        try {
            models.reload();
        } catch (RuntimeException e) {
            LOG.error("Model configuration reload failed; the running models stay", e);
        }
    }

    /** The clock stages read "now" from; tests set their own before {@link #start()} to move time. */
    public RadLoopEngine clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Clock clock() {
        return clock;
    }

    public RadLoopSettings settings() {
        return settings;
    }

    public Store store() {
        return store;
    }

    public MessageBroker broker() {
        return broker;
    }

    public FacilityRegistry facilities() {
        return facilities;
    }

    /** The triage models and their state (available, or unavailable with the reason). */
    public ModelRegistry models() {
        return models;
    }

    public RadLoopMetrics metrics() {
        return metrics;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        if (configWatcher != null) configWatcher.shutdownNow();
        try {
            if (main != null) main.stop();
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly", e);
        }
        try {
            if (broker != null) broker.close();
        } catch (Exception e) {
            LOG.warn("Broker did not stop cleanly", e);
        }
        if (store != null) store.close();
        if (models != null) models.close();
        LOG.info("RadLoop stopped");
    }
}
