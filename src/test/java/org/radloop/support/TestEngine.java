package org.radloop.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;

/**
 * A real RadLoop engine for a test: the project's own conf/, routes/, connectors/ and mappings/,
 * a data folder of the test's own, and free ports for every listener.
 */
public final class TestEngine {

    private TestEngine() {
    }

    /** Settings for an engine in {@code dataDir}; add or change values before starting it. */
    public static Properties settings(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("radloop.data.dir", dataDir.toString());
        p.setProperty("radloop.hl7.host", "127.0.0.1");
        p.setProperty("radloop.hl7.port", Integer.toString(freePort()));
        p.setProperty("radloop.http.host", "127.0.0.1");
        p.setProperty("radloop.http.port", Integer.toString(freePort()));
        p.setProperty("radloop.dicom.port", Integer.toString(freePort()));
        p.setProperty("radloop.api.token", "test-token-" + Long.toHexString(System.nanoTime()));
        p.setProperty("radloop.config.reload.interval.ms", "300");
        p.setProperty("radloop.queue.redelivery.delay.ms", "100");
        return p;
    }

    public static RadLoopEngine start(Properties settings) throws Exception {
        return new RadLoopEngine(RadLoopSettings.of(projectHome(), settings)).start();
    }

    public static RadLoopEngine start(Path dataDir) throws Exception {
        return start(settings(dataDir));
    }

    /**
     * Leaves the named route files of routes/ out of the engine, for a test that plays that stage
     * itself (e.g. reads a stage queue that the route would otherwise consume).
     */
    public static Properties withoutRoutes(Properties settings, String... routeFileNames) {
        settings.setProperty("camel.main.routesExcludePattern", routeFiles(routeFileNames));
        return settings;
    }

    /** Camel's exclude pattern for route files by name (without .yaml). */
    public static String routeFiles(String... routeFileNames) {
        StringBuilder sb = new StringBuilder();
        for (String name : routeFileNames) {
            if (sb.length() > 0) sb.append(',');
            sb.append("file:").append(projectHome().resolve("routes").resolve(name + ".yaml"));
        }
        return sb.toString();
    }

    /** The checkout's root: Maven runs tests there. */
    public static Path projectHome() {
        return Path.of("").toAbsolutePath();
    }

    /** Copies a folder (conf/, say) with everything below it, so that a test can edit its copy; returns {@code to}. */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(target);
                else java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
