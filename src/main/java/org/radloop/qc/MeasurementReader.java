package org.radloop.qc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the measurements of a report: numbers with a unit ("8 mm", "2.1 x 1.5 cm"), converted to the
 * lexicon's base unit, each tied to what it measures: the subject named within five words after the unit
 * ("8 mm nodule"), else the nearest one before it in the sentence, a lesion before an organ.
 */
final class MeasurementReader {
    private static final String NUMBER = "\\d+(?:\\.\\d+)?";
    private static final int WORDS_AFTER = 6;

    private final QcLexicon lexicon;
    private final Pattern measurement;

    MeasurementReader(QcLexicon lexicon) {
        this.lexicon = lexicon;
        List<String> units = new ArrayList<>(lexicon.units().keySet());
        units.sort(Comparator.comparingInt(String::length).reversed());
        this.measurement = Pattern.compile("(?<![\\p{Alnum}.])(" + NUMBER + "(?:\\s*(?:x|\u00d7|by)\\s*" + NUMBER + ")*)\\s*("
                + String.join("|", units.stream().map(Pattern::quote).toList()) + ")s?(?![\\p{Alpha}])", Pattern.CASE_INSENSITIVE);
    }

    /** The unit alternatives as a regular expression, for the check that looks for numbers without one. */
    Pattern unitPattern() {
        return measurement;
    }

    List<Measurement> read(ReportReading r, String section) {
        List<Measurement> out = new ArrayList<>();
        for (Sentence s : r.sentences(section)) {
            String text = s.sectionText();
            Matcher m = measurement.matcher(text);
            m.region(s.start(), s.end());
            while (m.find()) {
                QcLexicon.Unit unit = lexicon.units().get(m.group(2).toLowerCase(java.util.Locale.ROOT));
                List<Double> values = new ArrayList<>();
                for (String v : m.group(1).split("\\s*(?:x|\u00d7|by)\\s*")) values.add(Double.parseDouble(v.trim()));
                List<Double> base = values.stream().map(v -> v * unit.factor()).toList();
                QcLexicon.Subject subject = subjectOf(s, m.start(), m.end(), unit.quantity());
                out.add(new Measurement(values, unit, base, subject, s, new TextSpan(section, m.start(), m.end(), m.group())));
            }
        }
        return out;
    }

    private QcLexicon.Subject subjectOf(Sentence s, int start, int end, String quantity) {
        List<PhraseMatcher.Match> named = lexicon.measurementSubjects().find(s.sectionText(), s.start(), s.end()).stream()
                .filter(x -> quantity.equals(lexicon.subject(x.key()).quantity())).toList();
        for (PhraseMatcher.Match x : named) {
            if (x.start() >= end && NegationDetector.words(s.sectionText(), end, x.start()) <= WORDS_AFTER - 1) {
                return lexicon.subject(x.key());
            }
        }
        QcLexicon.Subject nearest = null;
        QcLexicon.Subject nearestLesion = null;
        for (PhraseMatcher.Match x : named) {
            if (x.end() > start) continue;
            QcLexicon.Subject subject = lexicon.subject(x.key());
            nearest = subject;
            if (subject.lesion()) nearestLesion = subject;
        }
        return nearestLesion != null ? nearestLesion : nearest;
    }
}
