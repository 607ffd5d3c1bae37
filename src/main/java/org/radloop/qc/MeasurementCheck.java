package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * measurements: a size without a unit ("measures 12"), a value outside what the measured thing can
 * be (an 11 mm kidney is a unit slip for 11 cm), and an impression that quotes a size the findings
 * do not give ("8 mm nodule" in the findings, "18 mm nodule" in the impression).
 */
public final class MeasurementCheck implements QcCheck {
    private static final String NUMBER = "\\d+(?:\\.\\d+)?";

    private final double relativeTolerance;
    private final double absoluteToleranceMm;
    private final Pattern unitless;
    private final Pattern unitAfter;

    public MeasurementCheck(RuleParameters p, QcLexicon lexicon) {
        this.relativeTolerance = p.number("relativeTolerance", 0.1);
        this.absoluteToleranceMm = p.number("absoluteToleranceMm", 1.0);
        List<String> triggers = p.strings("unitRequiredAfter", List.of("measures", "measuring", "measured", "diameter of", "size of"));
        StringBuilder alt = new StringBuilder();
        for (String t : triggers) alt.append(alt.length() == 0 ? "" : "|").append(Pattern.quote(t).replace(" ", "\\E\\s+\\Q"));
        this.unitless = Pattern.compile("(?<![\\p{Alnum}])(?:" + alt + ")\\s+(?:approximately\\s+|about\\s+|approx\\.?\\s+|up\\s+to\\s+|~\\s*)?("
                + NUMBER + "(?:\\s*(?:x|\u00d7|by)\\s*" + NUMBER + ")*)", Pattern.CASE_INSENSITIVE);
        List<String> units = new ArrayList<>(lexicon.units().keySet());
        // What may follow a number legitimately: a unit, a range to a number with a unit, percent, degrees, pressure, velocity.
        this.unitAfter = Pattern.compile("\\s*(?:(?:-|\u2013|to|and)\\s*" + NUMBER + "\\s*)?(?:(?:" + String.join("|", units.stream().map(Pattern::quote).toList())
                + ")s?(?![\\p{Alpha}])|%|percent|degrees?|\u00b0|mmhg|m/s|cm/s|cm2|mm2|cm3)", Pattern.CASE_INSENSITIVE);
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        MeasurementReader reader = new MeasurementReader(r.lexicon());
        List<Measurement> findings = new ArrayList<>();
        List<Measurement> impression = new ArrayList<>();
        for (String section : r.report().sections().keySet()) {
            if (section.equals("history") || section.equals("comparison")) continue;
            unitless(r, section, out);
            List<Measurement> ms = reader.read(r, section);
            for (Measurement m : ms) range(m, r, out);
            if (section.equals("findings")) findings.addAll(ms);
            if (section.equals("impression")) impression.addAll(ms);
        }
        for (Measurement i : impression) {
            if (i.subject() == null) continue;
            List<Measurement> same = findings.stream().filter(f -> f.subject() == i.subject()).toList();
            if (same.isEmpty()) continue;
            double v = i.largestBase();
            boolean agrees = same.stream().flatMap(f -> f.base().stream()).anyMatch(f -> close(f, v));
            if (!agrees) {
                out.add(new Flag(i.span(), "The impression gives the " + i.subject().id().replace('-', ' ') + " as " + i.span().text()
                        + " but the findings give " + String.join(", ", same.stream().map(f -> f.span().text()).toList())
                        + ". Make the sizes agree."));
            }
        }
        return out;
    }

    private boolean close(double a, double b) {
        double diff = Math.abs(a - b);
        return diff <= absoluteToleranceMm || diff <= relativeTolerance * Math.max(a, b);
    }

    private void unitless(ReportReading r, String section, List<Flag> out) {
        String text = r.text(section);
        if (text == null) return;
        Matcher m = unitless.matcher(text);
        while (m.find()) {
            Matcher after = unitAfter.matcher(text);
            after.region(m.end(1), text.length());
            if (after.lookingAt()) continue;
            out.add(new Flag(new TextSpan(section, m.start(1), m.end(1), m.group(1)), "\"" + m.group().trim()
                    + "\" has no unit. Add the unit (mm, cm, ml)."));
        }
    }

    private void range(Measurement m, ReportReading r, List<Flag> out) {
        QcLexicon.Range range = m.subject() != null ? m.subject().range() : r.lexicon().plausible(m.unit().quantity());
        if (range == null) return;
        double v = m.largestBase();
        if (range.contains(v)) return;
        String base = baseUnit(m.unit().quantity());
        String what = m.subject() != null ? "a " + m.subject().id().replace('-', ' ') : "a " + m.unit().quantity();
        out.add(new Flag(m.span(), "\"" + m.span().text() + "\" is not a plausible size for " + what + " (expected "
                + fmt(range.min()) + " to " + fmt(range.max()) + " " + base + "). Check the number and the unit."));
    }

    private static String baseUnit(String quantity) {
        return switch (quantity) {
            case "volume" -> "ml";
            case "density" -> "HU";
            default -> "mm";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
