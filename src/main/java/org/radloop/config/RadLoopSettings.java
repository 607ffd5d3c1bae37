package org.radloop.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The engine's settings: {@code conf/radloop.properties}, where every key can be overridden by an
 * environment variable (upper case, dots and dashes as underscores: {@code radloop.data.dir} is
 * {@code RADLOOP_DATA_DIR}) and then by a JVM system property of the same name.
 *
 * <p>One object, handed to Camel as its initial properties, so that Java code and the YAML routes
 * read the very same values.
 */
public final class RadLoopSettings {

    private final Path home;
    private final Properties values;

    private RadLoopSettings(Path home, Properties values) {
        this.home = home;
        this.values = values;
    }

    /** Reads {@code conf/radloop.properties} under {@code home}, then environment, then system properties. */
    public static RadLoopSettings load(Path home) {
        return load(home, System.getenv(), System.getProperties());
    }

    static RadLoopSettings load(Path home, Map<String, String> env, Properties system) {
        Properties merged = new Properties();
        Path file = home.resolve("conf/radloop.properties");
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                merged.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        for (String key : merged.stringPropertyNames()) {
            String fromEnv = env.get(environmentName(key));
            if (fromEnv != null) merged.setProperty(key, fromEnv);
        }
        // Environment variables for keys the file does not list still count (RADLOOP_*).
        env.forEach((name, value) -> {
            if (name.startsWith("RADLOOP_")) {
                String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                if (!merged.containsKey(key)) merged.setProperty(key, value);
            }
        });
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("radloop.") || key.startsWith("camel.")) merged.setProperty(key, system.getProperty(key));
        }
        return new RadLoopSettings(home.toAbsolutePath().normalize(), merged);
    }

    /** Settings from explicit values only (tests and tools that do not read a file). */
    public static RadLoopSettings of(Path home, Properties values) {
        Properties copy = new Properties();
        copy.putAll(values);
        return new RadLoopSettings(home.toAbsolutePath().normalize(), copy);
    }

    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Returns a copy with one value changed. */
    public RadLoopSettings with(String key, String value) {
        Properties copy = new Properties();
        copy.putAll(values);
        copy.setProperty(key, value);
        return new RadLoopSettings(home, copy);
    }

    public Path home() {
        return home;
    }

    public String get(String key, String fallback) {
        String v = values.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String require(String key) {
        String v = get(key, null);
        if (v == null) throw new IllegalStateException("Missing setting " + key + " (conf/radloop.properties or " + environmentName(key) + ")");
        return v;
    }

    public int getInt(String key, int fallback) {
        String v = get(key, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a whole number, not '" + v + "'");
        }
    }

    public long getLong(String key, long fallback) {
        String v = get(key, null);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a whole number, not '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        String v = get(key, null);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** A path setting, resolved against the RadLoop home folder when relative. */
    public Path path(String key, String fallback) {
        Path p = Path.of(get(key, fallback));
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }

    public Path dataDir() {
        return path("radloop.data.dir", "data");
    }

    public Path confDir() {
        return path("radloop.conf.dir", "conf");
    }

    public Path routesDir() {
        return path("radloop.routes.dir", "routes");
    }

    public Path connectorsDir() {
        return path("radloop.connectors.dir", "connectors");
    }

    public Path mappingsDir() {
        return path("radloop.mappings.dir", "mappings");
    }

    /** All values, for Camel's property placeholders. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(values);
        copy.setProperty("radloop.home", home.toString());
        copy.setProperty("radloop.data.dir", dataDir().toString());
        return copy;
    }
}
