package org.radloop.learning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.hibernate.Session;
import org.radloop.model.AuditEvent;
import org.radloop.model.ModelVersion;
import org.radloop.model.Store;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every version of every model, each kept whole under {@code <data>/models/<id>/versions/<v>/}
 * (its YAML, ONNX file and model card), and the one act that changes which version is in service:
 * writing that version's YAML over {@code conf/models/<id>.yaml} and reloading the registry. That is
 * the same hot reload an analyst's edit goes through, so a swap needs no restart, and a study that
 * already started keeps its version's session until it finishes (the registry retires, not closes,
 * a replaced session). Promotion, approval and rollback all go through {@link #putInService}.
 */
public final class ModelVersions {

    private static final Logger LOG = LoggerFactory.getLogger(ModelVersions.class);

    private final Store store;
    private final ModelRegistry registry;
    private final Path dataDir;
    private final Clock clock;
    private final ShadowMode shadow;

    /** @param shadow the shadow runs, stopped for a model whenever one of its versions goes into service */
    public ModelVersions(Store store, ModelRegistry registry, Path dataDir, Clock clock, ShadowMode shadow) {
        this.store = store;
        this.registry = registry;
        this.dataDir = dataDir;
        this.clock = clock;
        this.shadow = shadow;
    }

    public Clock clock() {
        return clock;
    }

    public Path versionDir(String id, String version) {
        return dataDir.resolve("models").resolve(id).resolve("versions").resolve(version);
    }

    /** How a versioned ONNX file is named in a YAML: under the data folder, so the YAML stays portable. */
    static String versionedFile(String id, String version) {
        return ModelRegistry.DATA_DIR_PLACEHOLDER + "/models/" + id + "/versions/" + version + "/model.onnx";
    }

    /**
     * The version in service, recorded (and its YAML and ONNX copied into its version folder, so a
     * later rollback does not depend on the original files staying) the first time it is asked for.
     */
    public synchronized ModelVersion current(String id) {
        ModelSpec spec = registry.spec(id).orElseThrow(() -> new NoSuchElementException("no model " + id));
        ModelRegistry.ModelStatus status = registry.status(id).orElseThrow();
        return store.fromTransaction(s -> {
            Optional<ModelVersion> known = find(s, id, spec.version());
            if (known.isPresent()) {
                if (known.get().getState() != ModelVersion.State.CURRENT) {
                    // The YAML was changed by hand to a version RadLoop knew: that one is in service now.
                    markCurrent(s, id, known.get(), "conf", "found in service in " + status.yaml().getFileName());
                }
                return known.get();
            }
            Path dir = versionDir(id, spec.version());
            try {
                Files.createDirectories(dir);
                if (Files.isRegularFile(status.onnx())) Files.copy(status.onnx(), dir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
                Path card = status.onnx().resolveSibling("model-card.md");
                if (Files.isRegularFile(card)) Files.copy(card, dir.resolve("model-card.md"), StandardCopyOption.REPLACE_EXISTING);
                String yaml = Files.readString(status.yaml(), StandardCharsets.UTF_8)
                        .replaceFirst("(?m)^file:.*$", java.util.regex.Matcher.quoteReplacement("file: \"" + versionedFile(id, spec.version()) + "\""));
                Files.writeString(dir.resolve("model.yaml"), yaml, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot keep version " + spec.version() + " of " + id + ": " + e.getMessage(), e);
            }
            for (ModelVersion v : list(s, id)) {
                if (v.getState() == ModelVersion.State.CURRENT) v.decide(ModelVersion.State.RETIRED, "conf", "replaced in conf", clock.instant());
            }
            ModelVersion v = new ModelVersion(id, spec.version(), ModelVersion.State.CURRENT, null,
                    dir.resolve("model.yaml").toString(), dir.resolve("model.onnx").toString(),
                    Files.isRegularFile(dir.resolve("model-card.md")) ? dir.resolve("model-card.md").toString() : null,
                    null, 0, 0, 0, clock.instant());
            s.persist(v);
            return v;
        });
    }

    public List<ModelVersion> list(String id) {
        return store.fromTransaction(s -> list(s, id));
    }

    public Optional<ModelVersion> find(String id, String version) {
        return store.fromTransaction(s -> find(s, id, version));
    }

    private static List<ModelVersion> list(Session s, String id) {
        return s.createQuery("from ModelVersion where modelId = :m order by id", ModelVersion.class).setParameter("m", id).list();
    }

    private static Optional<ModelVersion> find(Session s, String id, String version) {
        return s.createQuery("from ModelVersion where modelId = :m and version = :v", ModelVersion.class)
                .setParameter("m", id).setParameter("v", version).uniqueResultOptional();
    }

    /** The next minor version after every version known for the model: 1.0.0 -> 1.1.0 -> 1.2.0. */
    public String nextVersion(String id) {
        List<ModelVersion> all = list(id);
        int major = 1, minor = 0;
        for (ModelVersion v : all) {
            String[] parts = v.getVersion().split("\\.");
            try {
                int ma = Integer.parseInt(parts[0]);
                int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                if (ma > major || (ma == major && mi > minor)) {
                    major = ma;
                    minor = mi;
                }
            } catch (NumberFormatException e) {
                // A free-form version (e.g. "2024-bleed-b") does not take part in the numbering.
            }
        }
        String next = major + "." + (minor + 1) + ".0";
        while (all.stream().anyMatch(v -> v.getVersion().equals(next))) return next + "-" + all.size();
        return next;
    }

    /** Records a new candidate; earlier candidates still waiting are superseded by it. */
    public ModelVersion addCandidate(ModelVersion candidate, String policyDecision) {
        candidate.decide(ModelVersion.State.WAITING_APPROVAL, "policy", policyDecision, clock.instant());
        return store.fromTransaction(s -> {
            for (ModelVersion v : list(s, candidate.getModelId())) {
                if (v.getState() == ModelVersion.State.WAITING_APPROVAL) {
                    v.decide(ModelVersion.State.SUPERSEDED, "learning", "a newer candidate " + candidate.getVersion() + " was trained",
                            clock.instant());
                    v.shadow(false);
                }
            }
            s.persist(candidate);
            s.persist(new AuditEvent("learning", "candidate-trained", "model", candidate.getModelId(),
                    candidate.getVersion() + " from " + candidate.getTrainedFrom() + " on " + candidate.getTrainingLabels()
                            + " labels (" + candidate.getHoldoutLabels() + " held out)"));
            return candidate;
        });
    }

    /** A person approves a waiting candidate: it goes into service. */
    public ModelVersion approve(String id, String version, String by) {
        ModelVersion v = find(id, version).orElseThrow(() -> new NoSuchElementException("model " + id + " has no version " + version));
        if (v.getState() != ModelVersion.State.WAITING_APPROVAL) {
            throw new IllegalStateException("version " + version + " of " + id + " is " + v.getState() + ", not WAITING_APPROVAL");
        }
        return putInService(id, version, by, "approved by " + by);
    }

    /**
     * Back to an earlier version: the one named, or the one in service before the current one.
     */
    public ModelVersion rollback(String id, String version, String by) {
        current(id);
        List<ModelVersion> all = list(id);
        ModelVersion target;
        if (version != null) {
            target = all.stream().filter(v -> v.getVersion().equals(version)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("model " + id + " has no version " + version));
            if (target.getState() == ModelVersion.State.CURRENT) throw new IllegalStateException("version " + version + " is already in service");
        } else {
            target = all.stream().filter(v -> v.getState() == ModelVersion.State.RETIRED && v.getDecidedAt() != null)
                    .max(Comparator.comparing(ModelVersion::getDecidedAt).thenComparing(ModelVersion::getId))
                    .orElseThrow(() -> new IllegalStateException("model " + id + " has no earlier version to roll back to"));
        }
        return putInService(id, target.getVersion(), by, "rolled back by " + by);
    }

    /**
     * Writes the version's YAML over the model's YAML (aside, then moved into place) and reloads the
     * registry at once. A version that does not load is taken back out and the previous YAML restored.
     */
    public synchronized ModelVersion putInService(String id, String version, String by, String why) {
        ModelVersion target = find(id, version).orElseThrow(() -> new NoSuchElementException("model " + id + " has no version " + version));
        Path confYaml = registry.status(id).orElseThrow(() -> new NoSuchElementException("no model " + id)).yaml();
        try {
            String previous = Files.readString(confYaml, StandardCharsets.UTF_8);
            writeAtomically(confYaml, Files.readString(Path.of(target.getYamlPath()), StandardCharsets.UTF_8));
            registry.reload();
            var status = registry.status(id).orElse(null);
            if (status == null || !version.equals(status.version()) || status.state() != ModelRegistry.State.AVAILABLE) {
                writeAtomically(confYaml, previous);
                registry.reload();
                throw new IllegalStateException("version " + version + " of " + id + " did not load ("
                        + (status == null ? "refused" : status.state() + (status.reason() == null ? "" : ": " + status.reason()))
                        + "); the previous version stays in service");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot put " + id + " " + version + " in service: " + e.getMessage(), e);
        }
        ModelVersion result = store.fromTransaction(s -> {
            ModelVersion v = find(s, id, version).orElseThrow();
            markCurrent(s, id, v, by, why);
            for (ModelVersion other : list(s, id)) other.shadow(false);
            return v;
        });
        // Whatever ran in shadow was weighed against the version that just left service.
        shadow.stop(id);
        LOG.info("Model {} version {} is in service ({})", id, version, why);
        return result;
    }

    private void markCurrent(Session s, String id, ModelVersion v, String by, String why) {
        for (ModelVersion other : list(s, id)) {
            if (other.getState() == ModelVersion.State.CURRENT && !other.getId().equals(v.getId())) {
                other.decide(ModelVersion.State.RETIRED, by, "replaced by " + v.getVersion(), clock.instant());
            }
        }
        v.decide(ModelVersion.State.CURRENT, by, why, clock.instant());
        v.shadow(false);
        s.persist(new AuditEvent(by, "model-version-in-service", "model", id, v.getVersion() + ": " + why));
    }

    /** Marks whether a candidate runs in shadow. */
    public void setShadow(String id, String version, boolean on) {
        store.inTransaction(s -> find(s, id, version).ifPresent(v -> v.shadow(on)));
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
