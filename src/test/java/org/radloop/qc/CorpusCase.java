package org.radloop.qc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One labelled report of the QC corpus (src/test/resources/qc-corpus/*.yaml): the report and its
 * context, the rules a radiologist says must fire on it ({@code expect}) and the rules it was written
 * to exercise ({@code targets}: a target not in expect makes it a designed negative for that rule).
 */
record CorpusCase(String file, String id, Set<String> targets, Set<String> expect, String note, ReportUnderReview report) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<CorpusCase> load(Path dir) throws IOException {
        List<CorpusCase> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode root = YAML.readTree(f.toFile());
                JsonNode defaults = root.path("defaults");
                for (JsonNode c : root.path("cases")) out.add(of(f.getFileName().toString(), c, defaults));
            }
        }
        return out;
    }

    private static JsonNode get(JsonNode c, JsonNode d, String key) {
        return c.has(key) ? c.get(key) : d.get(key);
    }

    private static CorpusCase of(String file, JsonNode c, JsonNode d) {
        ReportUnderReview.Builder b = ReportUnderReview.builder();
        for (String s : List.of("history", "technique", "comparison", "findings", "impression", "addendum"))
            if (c.hasNonNull(s)) b.section(s, c.get(s).asText());
        List<String> required = strings(get(c, d, "required"), List.of("findings", "impression"));
        List<ReportUnderReview.RequiredField> fields = new ArrayList<>();
        JsonNode rf = get(c, d, "requiredFields");
        if (rf != null) rf.forEach(x -> fields.add(new ReportUnderReview.RequiredField(x.get("name").asText(),
                x.get("section").asText(), x.get("pattern").asText())));
        b.template(new ReportUnderReview.Template("corpus", required, fields, strings(get(c, d, "normal"), List.of())));
        strings(c.get("untouched"), List.of()).forEach(b::untouched);
        b.laterality(side(get(c, d, "order")), side(get(c, d, "procedureSide")), side(get(c, d, "dicom")));
        JsonNode proc = get(c, d, "procedure");
        if (proc != null) b.procedure(proc.asText());
        JsonNode p = get(c, d, "patient");
        String sex = get(c, d, "sex") == null ? "U" : get(c, d, "sex").asText();
        b.patient(identity(p, sex, "Synthetic", "Pat", List.of("40012345"), "A7000001"));
        JsonNode sd = get(c, d, "studyDate");
        b.studyDate(sd == null ? LocalDate.of(2025, 6, 2) : LocalDate.parse(sd.asText()));
        strings(get(c, d, "priors"), List.of()).forEach(x -> b.prior(LocalDate.parse(x)));
        JsonNode ai = c.get("ai");
        if (ai != null) ai.forEach(x -> b.ai(new ReportUnderReview.AiReview(text(x, "label"), text(x, "code"), text(x, "text"),
                x.get("p").asDouble(), x.has("threshold") ? x.get("threshold").asDouble() : 0.5,
                x.has("verdict") ? ReportUnderReview.Verdict.valueOf(x.get("verdict").asText().toUpperCase()) : ReportUnderReview.Verdict.NONE,
                text(x, "reason"))));
        JsonNode n = get(c, d, "notified");
        b.notificationStarted(n != null && n.asBoolean());
        JsonNode others = c.get("others");
        if (others != null) others.forEach(o -> b.otherOpenStudy(identity(o, null, null, null, List.of(), null)));
        Set<String> expect = new LinkedHashSet<>(strings(c.get("expect"), List.of()));
        Set<String> targets = new LinkedHashSet<>(strings(get(c, d, "targets"), List.of()));
        return new CorpusCase(file, c.get("id").asText(), targets, expect, text(c, "note"), b.build());
    }

    private static ReportUnderReview.PatientIdentity identity(JsonNode p, String sex, String family, String given, List<String> ids, String acc) {
        if (p == null) return new ReportUnderReview.PatientIdentity(sex, family, given, ids, acc);
        return new ReportUnderReview.PatientIdentity(sex, p.has("family") ? p.get("family").asText() : family,
                p.has("given") ? p.get("given").asText() : given, strings(p.get("ids"), ids),
                p.has("accession") ? p.get("accession").asText() : acc);
    }

    private static Side side(JsonNode n) {
        return n == null || n.isNull() ? null : Side.parse(n.asText());
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }

    private static List<String> strings(JsonNode n, List<String> dflt) {
        if (n == null || n.isNull()) return dflt;
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        else out.add(n.asText());
        return out;
    }
}
