package org.radloop.reporting;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.radloop.model.AiFinding;

/**
 * Says in words what a model found: one sentence per positive finding (what, where, its measurement
 * when it has one, and which model version found it), and the draft impression that lists the
 * positive findings, most severe first.
 */
final class FindingSentences {

    /** A size or volume in the finding's text (models that measure say e.g. "12 mm" or "35 ml"). */
    private static final Pattern MEASUREMENT = Pattern.compile("(\\d+(?:\\.\\d+)?\\s?(?:mm|cm|ml|mL|cc))");
    static final Comparator<AiFinding> MOST_SEVERE_FIRST = Comparator
            .comparing((AiFinding f) -> f.getSeverity() == null ? 0 : f.getSeverity()).reversed()
            .thenComparing(Comparator.comparingDouble(AiFinding::getProbability).reversed())
            .thenComparing(AiFinding::getId);

    private FindingSentences() {
    }

    static String sentence(AiFinding f, ReportTemplate.Organ organ) {
        StringBuilder b = new StringBuilder();
        b.append(what(f)).append(" in ").append(organ.place());
        String slices = f.getSlices();
        if (slices != null && !slices.isBlank()) b.append(" (image").append(slices.contains(",") ? "s " : " ").append(slices.replace(",", ", ")).append(')');
        String measurement = measurement(f);
        b.append(measurement == null ? "; no measurement given" : ", measuring " + measurement);
        b.append(String.format(Locale.ROOT, ". AI finding by %s version %s (probability %.2f), to be confirmed by the radiologist.",
                f.getModelId(), f.getModelVersion(), f.getProbability()));
        return b.toString();
    }

    /** Numbered positive findings, most severe first; null when there are none. */
    static String impression(List<AiFinding> positives) {
        if (positives.isEmpty()) return null;
        List<AiFinding> sorted = new ArrayList<>(positives);
        sorted.sort(MOST_SEVERE_FIRST);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            AiFinding f = sorted.get(i);
            if (i > 0) b.append('\n');
            b.append(i + 1).append(". ").append(what(f));
            if (f.getSeverity() != null) b.append(" (severity ").append(f.getSeverity()).append(')');
            b.append(" [AI: ").append(f.getModelId()).append(' ').append(f.getModelVersion()).append(']');
        }
        return b.toString();
    }

    private static String what(AiFinding f) {
        String text = f.getFindingText() != null ? f.getFindingText() : f.getLabel();
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String measurement(AiFinding f) {
        if (f.getFindingText() == null) return null;
        Matcher m = MEASUREMENT.matcher(f.getFindingText());
        return m.find() ? m.group(1) : null;
    }
}
