package org.radloop.triage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.radloop.config.ConfigException;
import org.radloop.config.ConfigProblem;
import org.radloop.config.RadLoopSettings;
import org.radloop.config.SchemaValidator;
import org.radloop.config.YamlDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triage models, one per {@code conf/models/<id>.yaml}, each with its ONNX session and its state.
 *
 * <p>Works like the facility registry: {@link #reload()} looks at the files again; a new or changed
 * YAML is validated and, when valid, replaces what was running, while an invalid one is refused
 * (problems kept in {@link #refused()}) and the previous version keeps running. A model whose ONNX
 * file is missing, does not load, lacks the tensors its YAML names, or later fails or times out in a
 * run is {@link State#UNAVAILABLE} with the reason: its studies are triaged by the rules alone, and
 * the model is tried again as soon as its YAML or ONNX file changes (a demonstration model built
 * after start, a fixed file) or {@link #retry(String)} is called.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    /** Written in a model YAML for files generated under the data folder rather than committed. */
    public static final String DATA_DIR_PLACEHOLDER = "${radloop.data.dir}";

    public enum State { AVAILABLE, UNAVAILABLE }

    /** What the API and the metrics show about one model. */
    public record ModelStatus(String id, String version, String task, State state, String reason, Path yaml,
                              Path onnx, Instant since, long runs, long skipped, long failures) {
    }

    private static final class Entry {
        final ModelSpec spec;
        final Path yaml;
        final Path onnx;
        final FileTime yamlTime;
        final FileTime onnxTime;
        volatile ModelSession session;
        volatile State state;
        volatile String reason;
        volatile Instant since = Instant.now();
        final AtomicLong runs = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong failures = new AtomicLong();

        Entry(ModelSpec spec, Path yaml, Path onnx, FileTime yamlTime, FileTime onnxTime) {
            this.spec = spec;
            this.yaml = yaml;
            this.onnx = onnx;
            this.yamlTime = yamlTime;
            this.onnxTime = onnxTime;
        }
    }

    private final Path modelsDir;
    private final Path dataDir;
    private final SchemaValidator validator;
    private final int intraOpThreads;
    private final Duration timeLimit;
    private final MeterRegistry meters;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<Path, FileTime> refusedAt = new ConcurrentHashMap<>();
    private final Map<Path, List<ConfigProblem>> refused = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    /** Sessions of versions just replaced, by {@link ModelSpec#key()}, kept for the studies still running on them. */
    private final Map<String, Retired> retired = new ConcurrentHashMap<>();
    private final Duration retireGrace;

    private record Retired(ModelSession session, Instant at) {
    }

    /** From settings: {@code radloop.models.intra.op.threads} (default 1), {@code radloop.models.time.limit.ms} (default 10000). */
    public ModelRegistry(RadLoopSettings settings, MeterRegistry meters) {
        this(settings.confDir().resolve("models"), settings.dataDir(), new SchemaValidator(settings.confDir().resolve("schemas")),
                settings.getInt("radloop.models.intra.op.threads", 1),
                Duration.ofMillis(settings.getLong("radloop.models.time.limit.ms", 10_000)), meters);
    }

    public ModelRegistry(Path modelsDir, Path dataDir, SchemaValidator validator, int intraOpThreads, Duration timeLimit,
                         MeterRegistry meters) {
        this.modelsDir = modelsDir;
        this.dataDir = dataDir;
        this.validator = validator;
        this.intraOpThreads = intraOpThreads;
        this.timeLimit = timeLimit;
        this.meters = meters;
        this.retireGrace = timeLimit.multipliedBy(3);
    }

    /**
     * Applies every model file that is new or changed (or whose ONNX file changed) since the last call.
     *
     * @return the problems of the YAML files refused in this pass
     */
    public synchronized List<ConfigProblem> reload() {
        closeRetired(false);
        List<ConfigProblem> problemsNow = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        for (Path yaml : modelFiles()) {
            present.add(yaml);
            FileTime yamlTime = modified(yaml);
            if (yamlTime == null) continue;
            Entry current = entryFor(yaml);
            boolean yamlSame = current != null && yamlTime.equals(current.yamlTime);
            if (yamlSame && sameFileTime(current.onnxTime, modified(current.onnx))) continue;
            if (!yamlSame && yamlTime.equals(refusedAt.get(yaml))) continue;
            try {
                ModelSpec spec = readSpec(yaml);
                Entry clash = byId.get(spec.id());
                if (clash != null && !clash.yaml.equals(yaml)) {
                    throw new ConfigException(List.of(new ConfigProblem(yaml, 1, "id",
                            "'" + spec.id() + "' is already used by " + clash.yaml.getFileName())));
                }
                Path onnx = resolveOnnx(spec, yaml);
                Entry next = new Entry(spec, yaml, onnx, yamlTime, modified(onnx));
                open(next);
                Entry old = byId.put(spec.id(), next);
                if (current != null && current != old) byId.remove(current.spec.id(), current);
                if (old != null && old.session != null && old.session != next.session) retire(old, next);
                refused.remove(yaml);
                refusedAt.remove(yaml);
                gauge(spec.id());
            } catch (ConfigException e) {
                refused.put(yaml, e.problems());
                refusedAt.put(yaml, yamlTime);
                problemsNow.addAll(e.problems());
                LOG.error("Refused model configuration, the previous one stays in force:\n{}", e.getMessage());
            }
        }
        for (Entry e : List.copyOf(byId.values())) {
            if (!present.contains(e.yaml)) {
                byId.remove(e.spec.id(), e);
                if (e.session != null) e.session.close();
                LOG.info("Model {} removed ({} is gone)", e.spec.id(), e.yaml.getFileName());
            }
        }
        refused.keySet().removeIf(p -> !present.contains(p));
        return problemsNow;
    }

    /** Validates every model file without applying anything: the {@code config validate} command. */
    public List<ConfigProblem> check() {
        List<ConfigProblem> problems = new ArrayList<>();
        for (Path yaml : modelFiles()) {
            try {
                readSpec(yaml);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        return problems;
    }

    /** Loads the session; any failure makes the model unavailable with the reason, never an exception. */
    private void open(Entry e) {
        ModelSpec spec = e.spec;
        if (!"classification".equals(spec.task())) {
            unavailable(e, "task '" + spec.task() + "' is not run by this RadLoop version (classification only)");
            return;
        }
        if (!Files.isRegularFile(e.onnx)) {
            unavailable(e, "ONNX file " + e.onnx + " does not exist");
            return;
        }
        try {
            ModelSession session = ModelSession.load(e.onnx, intraOpThreads, timeLimit);
            List<String> missing = new ArrayList<>();
            if (!session.inputNames().contains(spec.input().tensor())) missing.add("input '" + spec.input().tensor() + "' (graph has " + session.inputNames() + ")");
            if (!session.outputNames().contains(spec.output().tensor())) missing.add("output '" + spec.output().tensor() + "' (graph has " + session.outputNames() + ")");
            if (!missing.isEmpty()) {
                session.close();
                unavailable(e, "the ONNX graph has no " + String.join(" and no ", missing));
                return;
            }
            e.session = session;
            e.state = State.AVAILABLE;
            e.reason = null;
            e.since = Instant.now();
            LOG.info("Model {} version {} loaded from {}", spec.id(), spec.version(), e.onnx.getFileName());
        } catch (Exception | UnsatisfiedLinkError ex) {
            unavailable(e, "ONNX Runtime cannot load " + e.onnx.getFileName() + ": " + firstLine(ex.getMessage()));
        }
    }

    private void unavailable(Entry e, String reason) {
        e.state = State.UNAVAILABLE;
        e.reason = reason;
        e.since = Instant.now();
        LOG.warn("Model {} version {} is unavailable: {}; its studies are triaged by the rules", e.spec.id(),
                e.spec.version(), reason);
    }

    /** A run failed or timed out: the model stops taking studies until its files change or it is retried. */
    public void markUnavailable(ModelSpec spec, String reason) {
        Entry e = byId.get(spec.id());
        if (e == null || !e.spec.key().equals(spec.key())) return;
        synchronized (e) {
            // Runs in flight when the model was taken out of service fail too; the first reason stays.
            if (e.state == State.UNAVAILABLE) return;
            e.state = State.UNAVAILABLE;
        }
        e.failures.incrementAndGet();
        count(spec.id(), "failed");
        ModelSession s = e.session;
        e.session = null;
        unavailable(e, reason);
        if (s != null) s.close();
    }

    /** Tries to load an unavailable model again, e.g. after an operator fixed its cause. */
    public synchronized Optional<ModelStatus> retry(String id) {
        Entry e = byId.get(id);
        if (e == null) return Optional.empty();
        if (e.state == State.UNAVAILABLE) {
            Entry fresh = new Entry(e.spec, e.yaml, e.onnx, e.yamlTime, modified(e.onnx));
            open(fresh);
            byId.put(id, fresh);
        }
        return status(id);
    }

    /**
     * The running session of an available model, at the version the spec names; a version replaced
     * a moment ago still answers for the studies that started on it (see {@link #retire}).
     */
    public Optional<ModelSession> session(ModelSpec spec) {
        Entry e = byId.get(spec.id());
        if (e != null && !e.spec.key().equals(spec.key())) {
            Retired r = retired.get(spec.key());
            return r == null ? Optional.empty() : Optional.of(r.session());
        }
        if (e == null || e.state != State.AVAILABLE) return Optional.empty();
        return Optional.ofNullable(e.session);
    }

    /** Why a model cannot run now, or empty when it can. */
    public Optional<String> unavailableReason(ModelSpec spec) {
        Entry e = byId.get(spec.id());
        if (retired.containsKey(spec.key()) && (e == null || !e.spec.key().equals(spec.key()))) return Optional.empty();
        if (e == null) return Optional.of("model " + spec.id() + " is not configured");
        if (!e.spec.key().equals(spec.key())) return Optional.of("model " + spec.key() + " was replaced by " + e.spec.key());
        return e.state == State.AVAILABLE ? Optional.empty() : Optional.of(e.reason);
    }

    /** Counts a run's outcome: ok, skipped (e.g. undecodable pixels) or failed. */
    void recordRun(ModelSpec spec, String outcome) {
        Entry e = byId.get(spec.id());
        if (e != null && e.spec.key().equals(spec.key())) {
            if ("ok".equals(outcome)) e.runs.incrementAndGet();
            if ("skipped".equals(outcome)) e.skipped.incrementAndGet();
        }
        count(spec.id(), outcome);
    }

    /** Every configured model, available or not: for {@code GET /api/models}. */
    public List<ModelStatus> statuses() {
        return byId.keySet().stream().sorted().map(this::status).flatMap(Optional::stream).toList();
    }

    public Optional<ModelStatus> status(String id) {
        Entry e = byId.get(id);
        if (e == null) return Optional.empty();
        return Optional.of(new ModelStatus(e.spec.id(), e.spec.version(), e.spec.task(), e.state, e.reason, e.yaml,
                e.onnx, e.since, e.runs.get(), e.skipped.get(), e.failures.get()));
    }

    /** Every configured model's spec (available or not), sorted by id. */
    public List<ModelSpec> specs() {
        return byId.values().stream().map(e -> e.spec).sorted(Comparator.comparing(ModelSpec::id)).toList();
    }

    public Optional<ModelSpec> spec(String id) {
        return Optional.ofNullable(byId.get(id)).map(e -> e.spec);
    }

    public Map<Path, List<ConfigProblem>> refused() {
        return Map.copyOf(refused);
    }

    private ModelSpec readSpec(Path yaml) {
        YamlDocument doc = validator.readValid(yaml, "model");
        ModelSpec spec = doc.as(ModelSpec.class);
        String expected = yaml.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!expected.equals(spec.id())) {
            throw new ConfigException(List.of(new ConfigProblem(yaml, doc.lineOf("/id"), "id",
                    "'" + spec.id() + "' must match the file name '" + expected + "'")));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (String label : spec.decision().labels().keySet()) {
            if (!spec.output().labels().contains(label)) {
                problems.add(new ConfigProblem(yaml, doc.lineOf("/decision/labels/" + label), "decision.labels." + label,
                        "is not one of output.labels " + spec.output().labels()));
            }
        }
        if (spec.selectors() != null) {
            List<String> patterns = spec.selectors().descriptionPatterns();
            for (int i = 0; i < patterns.size(); i++) {
                try {
                    java.util.regex.Pattern.compile(patterns.get(i));
                } catch (java.util.regex.PatternSyntaxException ex) {
                    problems.add(new ConfigProblem(yaml, doc.lineOf("/selectors/descriptionPatterns/" + i),
                            "selectors.descriptionPatterns[" + i + "]", "is not a valid regular expression: " + ex.getDescription()));
                }
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return spec;
    }

    /** {@code ${radloop.data.dir}/...} names a generated file; anything else is relative to the YAML. */
    public Path resolveOnnx(ModelSpec spec, Path yaml) {
        String f = spec.file();
        if (f.startsWith(DATA_DIR_PLACEHOLDER)) {
            return dataDir.resolve(f.substring(DATA_DIR_PLACEHOLDER.length()).replaceFirst("^[/\\\\]+", "")).normalize();
        }
        Path p = Path.of(f);
        return p.isAbsolute() ? p : yaml.toAbsolutePath().getParent().resolve(p).normalize();
    }

    private Entry entryFor(Path yaml) {
        for (Entry e : byId.values()) if (e.yaml.equals(yaml)) return e;
        return null;
    }

    private List<Path> modelFiles() {
        if (!Files.isDirectory(modelsDir)) return List.of();
        try (Stream<Path> s = Files.list(modelsDir)) {
            return s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + modelsDir + ": " + e.getMessage(), e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.getLastModifiedTime(p) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean sameFileTime(FileTime a, FileTime b) {
        return a == null ? b == null : a.equals(b);
    }

    private void gauge(String id) {
        if (meters == null || !gauged.add(id)) return;
        Gauge.builder("radloop_model_available", byId, m -> {
                    Entry e = m.get(id);
                    return e != null && e.state == State.AVAILABLE ? 1 : 0;
                })
                .description("1 when the triage model runs, 0 when it is unavailable (see GET /api/models for why)")
                .tag("model", id).register(meters);
    }

    private void count(String id, String outcome) {
        if (meters == null) return;
        Counter.builder("radloop_model_runs").description("Triage model runs by outcome")
                .tag("model", id).tag("outcome", outcome).register(meters).increment();
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * A new version replaced {@code old}: a study already running on the old version (it chose its
     * spec before the swap) must finish on it, so the old session stays open for
     * {@link #retireGrace} (three run time limits) and is closed by a later reload. The same version
     * reloaded (a changed YAML, same version) closes the old session at once, as before.
     */
    private void retire(Entry old, Entry next) {
        if (old.spec.key().equals(next.spec.key())) {
            old.session.close();
            return;
        }
        Retired previous = retired.put(old.spec.key(), new Retired(old.session, Instant.now()));
        if (previous != null && previous.session() != old.session) previous.session().close();
    }

    private void closeRetired(boolean all) {
        Instant cutoff = Instant.now().minus(retireGrace);
        retired.entrySet().removeIf(r -> {
            boolean stillCurrent = byId.values().stream().anyMatch(e -> e.session == r.getValue().session());
            if (!all && r.getValue().at().isAfter(cutoff)) return false;
            if (!stillCurrent) r.getValue().session().close();
            return true;
        });
    }

    @Override
    public void close() {
        closeRetired(true);
        for (Entry e : byId.values()) if (e.session != null) e.session.close();
        byId.clear();
    }
}
