package org.radloop.triage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model as {@code conf/models/<id>.yaml} describes it: which studies it looks at, how pixels
 * become its input tensor, and what its output means clinically. The schema
 * ({@code conf/schemas/model.schema.json}) documents every field and its defaults; this class only
 * carries them, so that any ONNX model a user drops in runs from its YAML alone.
 *
 * @param file ONNX file: relative to the YAML file, or starting with {@code ${radloop.data.dir}}
 *             for models that are generated rather than committed (the demonstration models)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        String id,
        String version,
        String file,
        String task,
        String description,
        Selectors selectors,
        Input input,
        Preprocessing preprocessing,
        Output output,
        Decision decision) {

    /** Which studies the model runs on; an empty list means "any". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Selectors(List<String> facilities, List<String> modalities, List<String> bodyParts,
                            List<String> sopClasses, List<String> descriptionPatterns, Integer minSlices) {
        public List<String> facilities() { return facilities == null ? List.of() : facilities; }
        public List<String> modalities() { return modalities == null ? List.of() : modalities; }
        public List<String> bodyParts() { return bodyParts == null ? List.of() : bodyParts; }
        public List<String> sopClasses() { return sopClasses == null ? List.of() : sopClasses; }
        public List<String> descriptionPatterns() { return descriptionPatterns == null ? List.of() : descriptionPatterns; }
        public int minSlicesOrOne() { return minSlices == null ? 1 : minSlices; }
    }

    /** The input tensor: NCHW images (channels = windows stacked) or a flat feature vector per slice. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String tensor, String layout, Size size, String dtype) {
        public boolean flat() { return "flat".equals(layout); }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Size(int height, int width) {
    }

    /** How a series' slices become tensors. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preprocessing(String series, String seriesPattern, Sampling sampling, Boolean rescale,
                                List<Window> windows, Size resize, Normalise normalise, List<String> features) {
        public String seriesOrDefault() { return series == null ? "most-slices" : series; }
        public Sampling samplingOrDefault() { return sampling == null ? new Sampling(1, null) : sampling; }
        public boolean rescaleOrDefault() { return rescale == null || rescale; }
        public List<Window> windows() { return windows == null ? List.of() : windows; }
        public Normalise normaliseOrDefault() { return normalise == null ? new Normalise("scale01", null, null) : normalise; }
        public List<String> features() { return features == null ? List.of() : features; }
    }

    /** Every Nth slice, at most maxSlices (evenly spread) per series. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sampling(Integer every, Integer maxSlices) {
        public int everyOrOne() { return every == null ? 1 : every; }
    }

    /** A display window in rescaled units (HU for CT): values are clamped to centre +/- width/2. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Window(double centre, double width) {
        public double low() { return centre - width / 2; }
        public double high() { return centre + width / 2; }
    }

    /** scale01: window maps to 0..1; meanstd: (value - mean) / std on the windowed value; none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Normalise(String method, Double mean, Double std) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String tensor, String activation, List<String> labels) {
        public String activationOrNone() { return activation == null ? "none" : activation; }
    }

    /** What a probability means: per-label thresholds and findings, and how slices combine. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Decision(Combine combine, Map<String, LabelDecision> labels) {
        public Combine combineOrDefault() { return combine == null ? new Combine("max", null) : combine; }
        public Map<String, LabelDecision> labels() { return labels == null ? Map.of() : labels; }
    }

    /** max, mean or top-k-mean (mean of the k highest slice probabilities). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Combine(String method, Integer k) {
    }

    /** A positive label (probability at or over threshold) is this finding, of this severity (1-5). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LabelDecision(double threshold, String findingCode, String text, int severity) {
    }

    /** The key one session is loaded under: a new version is a new session. */
    public String key() {
        return id + "@" + version;
    }

    private Selectors selectorsOrEmpty() {
        return selectors == null ? new Selectors(null, null, null, null, null, null) : selectors;
    }

    /** Whether this model looks at a study of this facility, modality and body part. */
    public boolean selectsStudy(String facility, String modality, String bodyPart) {
        Selectors s = selectorsOrEmpty();
        return anyOrContains(s.facilities(), facility) && anyOrContains(s.modalities(), modality)
                && anyOrContains(s.bodyParts(), bodyPart);
    }

    /**
     * Whether one series qualifies: its SOP class, its descriptions (study and series, searched
     * case-insensitively by the patterns) and its slice count.
     */
    public boolean selectsSeries(String sopClass, String descriptions, int slices) {
        Selectors s = selectorsOrEmpty();
        if (!anyOrContains(s.sopClasses(), sopClass)) return false;
        if (!s.descriptionPatterns().isEmpty()) {
            String text = descriptions == null ? "" : descriptions;
            boolean any = s.descriptionPatterns().stream()
                    .anyMatch(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE).matcher(text).find());
            if (!any) return false;
        }
        return slices >= s.minSlicesOrOne();
    }

    private static boolean anyOrContains(List<String> allowed, String value) {
        if (allowed.isEmpty()) return true;
        if (value == null) return false;
        return allowed.stream().anyMatch(a -> Objects.equals(a.toUpperCase(), value.trim().toUpperCase()));
    }
}
