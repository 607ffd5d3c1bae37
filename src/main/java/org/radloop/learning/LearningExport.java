package org.radloop.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * radiologist, which could identify a patient's visit). Beside them, what the radiologists changed in
 * the AI drafts and which QC blocks they overrode, as counts and names only:
 * {@code report-edits.csv} (per signed report and section: unchanged, changed, added or removed, and
 * how many of the draft's words stayed) and {@code qc-overrides.csv} (study and rule). Report text
 * and override reasons are free text that may name a patient, a relative or a date, and no rule
 * can promise to find them all, so they are not exported. The key that makes pseudonyms, date
 * offsets and UIDs consistent across exports is {@code <data>/learning/deid-secret} (owner-only,
 * made once).
 */
public final class LearningExport {

    private static final Logger LOG = LoggerFactory.getLogger(LearningExport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Exported(Path directory, Path labelsFile, int labels, int files, int skipped, int reportEdits, int qcOverrides) {
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
        int edits = writeReportEdits(out.resolve("report-edits.csv"), deid);
        int overrides = writeQcOverrides(out.resolve("qc-overrides.csv"), deid);
        Exported result = new Exported(out, csv, labels.size(), done.size(), skipped, edits, overrides);
        store.inTransaction(s -> s.persist(new AuditEvent("learning", "dataset-exported", "dataset", out.getFileName(),
                result.labels() + " labels, " + result.files() + " de-identified files, " + result.skipped() + " left out, "
                        + edits + " report section edits, " + overrides + " QC overrides")));
        return result;
    }

    /** One row per section of each draft-to-signed diff (reporting.SectionDiff's JSON), without the text. */
    private int writeReportEdits(Path file, Deidentifier deid) throws IOException {
        List<Object[]> diffs = store.fromTransaction(s -> s.createSelectionQuery(
                "select r.studyUid, d.fromVersion, d.toVersion, d.diff from ReportDiff d, Report r where r.id = d.reportId order by d.id",
                Object[].class).getResultList());
        int rows = 0;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("study_uid,from_version,to_version,section,status,draft_words,signed_words,draft_words_kept\n");
            for (Object[] d : diffs) {
                for (JsonNode section : JSON.readTree((String) d[3])) {
                    List<String> before = words(section.path("before").asText("")), after = words(section.path("after").asText(""));
                    w.write(String.join(",", deid.remapUid((String) d[0]), String.valueOf(d[1]), String.valueOf(d[2]),
                            quote(section.path("section").asText()), section.path("status").asText(),
                            String.valueOf(before.size()), String.valueOf(after.size()), String.valueOf(kept(before, after))));
                    w.write('\n');
                    rows++;
                }
            }
        }
        return rows;
    }

    private int writeQcOverrides(Path file, Deidentifier deid) throws IOException {
        List<OverriddenQcRules.Overridden> overridden = store.fromTransaction(OverriddenQcRules::all);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("study_uid,rule\n");
            for (OverriddenQcRules.Overridden o : overridden) {
                w.write(deid.remapUid(o.studyUid()) + "," + quote(o.ruleId()) + "\n");
            }
        }
        return overridden.size();
    }

    private static List<String> words(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
        return t.isEmpty() ? List.of() : List.of(t.split(" "));
    }

    /** How many of the draft's words the signed text still has (as a multiset): how much of the draft survived. */
    private static int kept(List<String> before, List<String> after) {
        Map<String, Integer> left = new HashMap<>();
        for (String w : after) left.merge(w, 1, Integer::sum);
        int kept = 0;
        for (String w : before) {
            Integer n = left.get(w);
            if (n != null && n > 0) {
                kept++;
                left.put(w, n - 1);
            }
        }
        return kept;
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
