package org.radloop.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facilities RadLoop serves, from {@code conf/facilities/*.yaml}, each with its code mappings.
 *
 * <p>{@link #reload()} looks at the files again: a new or changed file is validated and, when valid,
 * replaces what was running; an invalid one is refused (its problems are kept for the API and the
 * log) and the facility keeps its previous configuration.
 */
public final class FacilityRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(FacilityRegistry.class);

    /** A facility as running: its configuration, its code mappings, and the file it came from. */
    public record Loaded(FacilityConfig config, CodeMappings codes, Path file) {
    }

    private final Path facilitiesDir;
    private final Path mappingsDir;
    private final SchemaValidator validator;
    private final Map<String, Loaded> byId = new ConcurrentHashMap<>();
    private final Map<Path, FileTime> seen = new ConcurrentHashMap<>();
    private final Map<Path, List<ConfigProblem>> refused = new ConcurrentHashMap<>();
    private final List<Consumer<Loaded>> listeners = new CopyOnWriteArrayList<>();

    public FacilityRegistry(RadLoopSettings settings) {
        this(settings.confDir().resolve("facilities"), settings.mappingsDir(),
                new SchemaValidator(settings.confDir().resolve("schemas")));
    }

    public FacilityRegistry(Path facilitiesDir, Path mappingsDir, SchemaValidator validator) {
        this.facilitiesDir = facilitiesDir;
        this.mappingsDir = mappingsDir;
        this.validator = validator;
    }

    /** Called with each facility that is loaded or changed (e.g. to keep its database row current). */
    public void onChange(Consumer<Loaded> listener) {
        listeners.add(listener);
    }

    /**
     * Reads every facility file that is new or changed since the last call.
     *
     * @return the problems of the files refused in this pass (empty when all were valid)
     */
    public synchronized List<ConfigProblem> reload() {
        List<ConfigProblem> problemsNow = new ArrayList<>();
        for (Path file : facilityFiles()) {
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(file);
            } catch (IOException e) {
                continue;
            }
            if (modified.equals(seen.get(file))) continue;
            seen.put(file, modified);
            try {
                Loaded loaded = load(file);
                Loaded clash = byId.get(loaded.config().id());
                if (clash != null && !clash.file().equals(file)) {
                    throw new ConfigException(List.of(new ConfigProblem(file, 1, "id",
                            "'" + loaded.config().id() + "' is already used by " + clash.file().getFileName())));
                }
                byId.put(loaded.config().id(), loaded);
                refused.remove(file);
                LOG.info("Facility {} loaded from {} ({} procedure codes)", loaded.config().id(), file.getFileName(),
                        loaded.codes().size());
                for (Consumer<Loaded> l : listeners) l.accept(loaded);
            } catch (ConfigException e) {
                refused.put(file, e.problems());
                problemsNow.addAll(e.problems());
                LOG.error("Refused configuration, the previous one stays in force:\n{}", e.getMessage());
            }
        }
        return problemsNow;
    }

    /** Validates a folder of facility files without applying anything: the {@code config validate} command. */
    public List<ConfigProblem> check() {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (Path file : facilityFiles()) {
            try {
                Loaded loaded = load(file);
                Path other = ids.putIfAbsent(loaded.config().id(), file);
                if (other != null) {
                    problems.add(new ConfigProblem(file, 1, "id", "'" + loaded.config().id() + "' is already used by " + other.getFileName()));
                }
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        return problems;
    }

    private Loaded load(Path file) {
        YamlDocument doc = validator.readValid(file, "facility");
        FacilityConfig config = doc.as(FacilityConfig.class);
        String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!expected.equals(config.id())) {
            throw new ConfigException(List.of(new ConfigProblem(file, doc.lineOf("/id"), "id",
                    "'" + config.id() + "' must match the file name '" + expected + "'")));
        }
        CodeMappings codes = CodeMappings.empty();
        if (config.codeMappings() != null) {
            Path codesFile = mappingsDir.resolve(config.codeMappings());
            if (!Files.isRegularFile(codesFile)) {
                throw new ConfigException(List.of(new ConfigProblem(file, doc.lineOf("/codeMappings"), "codeMappings",
                        "names " + codesFile + ", which does not exist")));
            }
            Map<String, JsonNode> catalogue = CodeMappings.readCatalogue(validator, mappingsDir.resolve("procedures.yaml"));
            codes = CodeMappings.read(validator, codesFile, catalogue);
        }
        return new Loaded(config, codes, file);
    }

    private List<Path> facilityFiles() {
        if (!Files.isDirectory(facilitiesDir)) return List.of();
        try (Stream<Path> s = Files.list(facilitiesDir)) {
            return s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + facilitiesDir + ": " + e.getMessage(), e);
        }
    }

    public Collection<Loaded> all() {
        return byId.values();
    }

    public Optional<Loaded> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The facility whose RIS sends with this MSH-3 (application) and MSH-4 (facility). */
    public Optional<Loaded> byHl7Sender(String msh3, String msh4) {
        return byId.values().stream()
                .filter(f -> f.config().hl7() != null && f.config().hl7().matches(msh3, msh4))
                .findFirst();
    }

    /** The facility one of whose modalities or PACS calls with this AE title. */
    public Optional<Loaded> byCallingAeTitle(String aeTitle) {
        return byId.values().stream().filter(f -> f.config().usesAeTitle(aeTitle)).findFirst();
    }

    /** Files refused on their last change, with why; they are not running. */
    public Map<Path, List<ConfigProblem>> refused() {
        return Map.copyOf(refused);
    }
}
