package org.radloop.learning;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.radloop.model.AuditEvent;
import org.radloop.model.Store;
import org.radloop.model.TrainingLabel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the de-identified learning dataset: every DICOM file a label refers to, de-identified by
 * {@link Deidentifier} under {@code <out>/dicom/<study>/<series>/<instance>.dcm}, and
 * {@code <out>/labels.csv} with one row per label in the new UIDs only (no facility, report or
 * radiologist, which could identify a patient's visit). The key that makes pseudonyms, date offsets
 * and UIDs consistent across exports is {@code <data>/learning/deid-secret} (owner-only, made once).
 */
public final class LearningExport {

    private static final Logger LOG = LoggerFactory.getLogger(LearningExport.class);

    public record Exported(Path directory, Path labelsFile, int labels, int files, int skipped) {
    }

    private final Store store;
    private final Path dataDir;
    private final Clock clock;

    public LearningExport(Store store, Path dataDir, Clock clock) {
        this.store = store;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    public Path defaultDirectory() {
        return dataDir.resolve("learning/dataset")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant()));
    }

    public synchronized Exported export(Path out) throws IOException {
        Deidentifier deid = new Deidentifier(secret());
        List<TrainingLabel> labels = store.fromTransaction(s -> s.createQuery("from TrainingLabel order by id", TrainingLabel.class).list());
        Path dicom = out.resolve("dicom");
        Files.createDirectories(dicom);
        Map<Path, Deidentifier.Written> done = new HashMap<>();
        int skipped = 0;
        Path csv = out.resolve("labels.csv");
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("label_id,study_uid,series_uid,slices,label,verdict,finding_present,ai_positive,ai_probability,model_id,model_version,files\n");
            for (TrainingLabel l : labels) {
                List<String> rel = new ArrayList<>();
                String study = "", series = "";
                for (Path f : l.getInstanceFiles()) {
                    Deidentifier.Written written = done.get(f);
                    if (written == null) {
                        if (!Files.isRegularFile(f)) {
                            skipped++;
                            continue;
                        }
                        try {
                            written = deid.deidentify(f, dicom);
                        } catch (IOException e) {
                            LOG.warn("Label {}: a file could not be de-identified and is left out: {}", l.getId(), e.getMessage());
                            skipped++;
                            continue;
                        }
                        done.put(f, written);
                    }
                    study = written.studyUid();
                    series = written.seriesUid();
                    rel.add(out.relativize(written.file()).toString());
                }
                if (study.isEmpty()) {
                    study = deid.remapUid(l.getStudyUid());
                    series = l.getSeriesUid() == null ? "" : deid.remapUid(l.getSeriesUid());
                }
                w.write(String.join(",", String.valueOf(l.getId()), study, series,
                        quote(String.join(" ", l.getSlices().stream().map(String::valueOf).toList())), quote(l.getLabel()),
                        l.getVerdict().name(), String.valueOf(l.findingPresent()),
                        l.getAiPositive() == null ? "" : l.getAiPositive().toString(),
                        l.getAiProbability() == null ? "" : String.format(java.util.Locale.ROOT, "%.4f", l.getAiProbability()),
                        quote(l.getModelId() == null ? "" : l.getModelId()), quote(l.getModelVersion() == null ? "" : l.getModelVersion()),
                        quote(String.join(" ", rel))));
                w.write('\n');
            }
        }
        Exported result = new Exported(out, csv, labels.size(), done.size(), skipped);
        store.inTransaction(s -> s.persist(new AuditEvent("learning", "dataset-exported", "dataset", out.getFileName(),
                result.labels() + " labels, " + result.files() + " de-identified files, " + result.skipped() + " left out")));
        return result;
    }

    private static String quote(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** The data folder's de-identification key: 32 random bytes, made once, readable by the owner only. */
    private byte[] secret() throws IOException {
        Path file = dataDir.resolve("learning/deid-secret");
        if (Files.isRegularFile(file)) return Files.readAllBytes(file);
        Files.createDirectories(file.getParent());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.write(file, key);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system; the data folder's own permissions protect it.
        }
        return key;
    }
}
