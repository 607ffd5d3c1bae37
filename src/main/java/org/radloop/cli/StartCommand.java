package org.radloop.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts the RadLoop engine and keeps it running until it is stopped (Ctrl-C or SIGTERM). Settings come from conf/radloop.properties; each can be overridden by an environment variable (radloop.data.dir -> RADLOOP_DATA_DIR). With no database or broker URL set, RadLoop runs on an embedded H2 database and an embedded Artemis broker under the data folder.")
final class StartCommand implements Callable<Integer> {

    private static volatile boolean serving;

    @Option(names = "--home", description = "RadLoop's folder (conf/, routes/, connectors/, mappings/). Default: the current folder.")
    Path home = Path.of(System.getProperty("radloop.home", "."));

    static boolean isServing() {
        return serving;
    }

    /**
     * The demonstration models are generated, not shipped: on the first start they are built into
     * the data folder in the background (a few seconds of CPU), and the model registry's hot reload
     * picks them up; until then they are listed as unavailable.
     */
    private static void buildDemoModelsIfMissing(RadLoopSettings settings) {
        if (!settings.getBoolean("radloop.models.demo.build.at.start", true)) return;
        Thread t = new Thread(() -> {
            try {
                new org.radloop.triage.demo.DemoModelBuilder().buildMissing(settings.dataDir().resolve("models"),
                        settings.confDir().resolve("models"), org.radloop.triage.demo.DemoModelBuilder.Options.defaults())
                        .forEach(b -> System.out.println("Built demonstration model " + b.id() + " (not for clinical use): "
                                + b.modelCard()));
            } catch (Exception e) {
                System.err.println("Demonstration models could not be built: " + e.getMessage());
            }
        }, "radloop-demo-models");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    @Override
    public Integer call() throws Exception {
        RadLoopSettings settings = RadLoopSettings.load(home);
        RadLoopEngine engine = new RadLoopEngine(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stopped.countDown();
        }, "radloop-shutdown"));
        engine.start();
        serving = true;
        buildDemoModelsIfMissing(settings);
        System.out.println("RadLoop is running. HTTP API on port " + settings.get("radloop.http.port", "8080")
                + ", HL7 MLLP on port " + settings.get("radloop.hl7.port", "2575") + ". Stop with Ctrl-C.");
        stopped.await();
        return 0;
    }
}
