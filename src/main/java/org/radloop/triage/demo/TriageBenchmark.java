package org.radloop.triage.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.radloop.config.SchemaValidator;
import org.radloop.triage.ClinicalRules;
import org.radloop.triage.ModelRegistry;
import org.radloop.triage.ModelResult;
import org.radloop.triage.OrderFacts;
import org.radloop.triage.PriorityPolicy;
import org.radloop.triage.StudyFacts;
import org.radloop.triage.StudyTriage;
import org.radloop.triage.TriageDecision;
import org.radloop.triage.TriageLexicon;

/**
 * Time from a completed study to its triage decision, with the CT head demonstration model on
 * phantom CT series written as real DICOM files: everything triage does (read the headers, choose
 * the series, read every slice through PixelMed, preprocess, ONNX Runtime, rules, score).
 */
public final class TriageBenchmark {

    /** p50 and p99 of whole-study triage, and ONNX Runtime time per slice (mean), in milliseconds. */
    public record Figures(int studies, int slicesPerStudy, int size, double p50Ms, double p99Ms, double maxMs,
                          double inferencePerSliceMs, double readPerSliceMs, long criticalStudies) {
        @Override
        public String toString() {
            return String.format("%d studies of %d slices (%dx%d): triage p50 %.0f ms, p99 %.0f ms, max %.0f ms; "
                            + "per slice: ONNX Runtime %.3f ms, DICOM read %.3f ms; %d of %d triaged critical",
                    studies, slicesPerStudy, size, size, p50Ms, p99Ms, maxMs, inferencePerSliceMs, readPerSliceMs,
                    criticalStudies, studies);
        }
    }

    /**
     * @param modelsDir the folder with the CT head demo model's YAML; {@code dataDir} holds its ONNX file
     * @param work      a folder for the phantom series (deleted afterwards)
     */
    public Figures run(Path modelsDir, Path dataDir, Path schemas, Path lexicon, Path work, int studies, int slices, int size)
            throws IOException {
        SchemaValidator validator = new SchemaValidator(schemas);
        try (ModelRegistry registry = new ModelRegistry(modelsDir, dataDir, validator, 1, Duration.ofSeconds(30), null)) {
            registry.reload();
            registry.unavailableReason(registry.spec(DemoModelBuilder.CT_HEAD_BLEED)
                            .orElseThrow(() -> new IOException("no " + DemoModelBuilder.CT_HEAD_BLEED + ".yaml in " + modelsDir)))
                    .ifPresent(r -> {
                        throw new IllegalStateException("The demonstration model is unavailable: " + r);
                    });
            StudyTriage triage = new StudyTriage(registry, new ClinicalRules(TriageLexicon.read(validator, lexicon)),
                    new PriorityPolicy());
            // Two series, one with a bleed, used alternately: the work per study is what counts.
            List<List<Path>> series = List.of(
                    PhantomSeries.writeCtHead(work.resolve("bench-normal"), 1, slices, size, false),
                    PhantomSeries.writeCtHead(work.resolve("bench-bleed"), 2, slices, size, true));
            OrderFacts order = new OrderFacts("ROUTINE", "O", null, "headache", List.of());
            // Warm-up: the JIT compiles the pixel paths in the first few studies.
            for (int i = 0; i < 10; i++) triage.triage(facts(series.get(i % 2), order), Instant.now());
            double[] ms = new double[studies];
            double inference = 0, read = 0;
            long critical = 0;
            for (int i = 0; i < studies; i++) {
                long t0 = System.nanoTime();
                TriageDecision d = triage.triage(facts(series.get(i % 2), order), Instant.now());
                ms[i] = (System.nanoTime() - t0) / 1e6;
                for (ModelResult r : d.modelResults()) {
                    inference += r.timings().inferenceMs();
                    read += r.timings().readMs();
                }
                if (d.urgency() == org.radloop.triage.Urgency.CRITICAL) critical++;
            }
            if (Boolean.getBoolean("radloop.bench.verbose")) System.out.println(Arrays.toString(ms));
            Arrays.sort(ms);
            return new Figures(studies, slices, size, percentile(ms, 0.5), percentile(ms, 0.99), ms[ms.length - 1],
                    inference / ((double) studies * slices), read / ((double) studies * slices), critical);
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).filter(p -> p.getFileName().toString().startsWith("bench-")
                        || p.getFileName().toString().endsWith(".dcm")).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static StudyFacts facts(List<Path> files, OrderFacts order) {
        return new StudyFacts("benchmark", "CT", "HEAD", List.of("CT HEAD WITHOUT CONTRAST"), new ArrayList<>(files), order,
                Instant.now(), null);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
