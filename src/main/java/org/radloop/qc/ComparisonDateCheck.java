package org.radloop.qc;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * comparison-date: a date the report compares with must be the date of one of this patient's prior
 * studies. A date that matches none is a comparison with the wrong study, a typing slip, or text from
 * another patient. Numeric dates are read in the site's order (DMY or MDY); "March 2024" matches any
 * prior in that month.
 */
public final class ComparisonDateCheck implements QcCheck {
    private static final Map<String, Integer> MONTHS = months();
    private static final String MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
    private static final Pattern ISO = Pattern.compile("(?<!\\d)(\\d{4})-(\\d{1,2})-(\\d{1,2})(?!\\d)");
    private static final Pattern NUMERIC = Pattern.compile("(?<![\\d/.])(\\d{1,2})[/.](\\d{1,2})[/.](\\d{2}|\\d{4})(?![\\d/])");
    private static final Pattern DAY_MONTH = Pattern.compile("(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + ",?\\s+(\\d{4})(?!\\d)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MONTH_DAY = Pattern.compile("(?<![\\p{Alpha}])" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MONTH_YEAR = Pattern.compile("(?<![\\p{Alnum}])" + MONTH + "\\s+(\\d{4})(?!\\d)", Pattern.CASE_INSENSITIVE);

    private final boolean dayFirst;
    private final int toleranceDays;
    private final List<String> sections;

    public ComparisonDateCheck(RuleParameters p) {
        this.dayFirst = !"MDY".equals(p.string("dateOrder", "DMY"));
        this.toleranceDays = p.integer("toleranceDays", 1);
        this.sections = p.strings("sections", List.of("comparison"));
    }

    /** A date read from the text: a day, or only a month when the text gives no day. */
    record CitedDate(LocalDate day, YearMonth month, int start, int end, String text) {
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        List<LocalDate> priors = r.report().priorStudyDates();
        for (String section : sections) {
            String text = r.text(section);
            if (text == null) continue;
            for (CitedDate d : dates(text)) {
                // Outside the comparison section only dates said to be of a comparison study count.
                if (!section.equals("comparison") && !comparisonContext(r, section, d)) continue;
                if (matches(d, priors)) continue;
                String known = priors.isEmpty() ? "this patient has no prior study on record"
                        : "the prior studies on record are from " + String.join(", ", priors.stream().map(LocalDate::toString).toList());
                out.add(new Flag(new TextSpan(section, d.start(), d.end(), d.text()), "The report compares with a study of \"" + d.text()
                        + "\", but " + known + ". Check the comparison date and study."));
            }
        }
        return out;
    }

    private static boolean comparisonContext(ReportReading r, String section, CitedDate d) {
        Sentence s = r.sentenceAt(section, d.start());
        if (s == null) return false;
        return s.text().toLowerCase(Locale.ROOT).matches(".*\\b(compar\\w*|prior|previous|earlier|since)\\b.*");
    }

    private boolean matches(CitedDate d, List<LocalDate> priors) {
        for (LocalDate p : priors) {
            if (d.day() != null && Math.abs(ChronoUnit.DAYS.between(p, d.day())) <= toleranceDays) return true;
            if (d.day() == null && YearMonth.from(p).equals(d.month())) return true;
        }
        return false;
    }

    List<CitedDate> dates(String text) {
        List<CitedDate> out = new ArrayList<>();
        Matcher m = ISO.matcher(text);
        while (m.find()) add(out, m, day(m.group(1), m.group(2), m.group(3)));
        m = NUMERIC.matcher(text);
        while (m.find()) {
            String a = m.group(1);
            String b = m.group(2);
            String y = m.group(3).length() == 2 ? "20" + m.group(3) : m.group(3);
            add(out, m, dayFirst ? day(y, b, a) : day(y, a, b));
        }
        m = DAY_MONTH.matcher(text);
        while (m.find()) add(out, m, day(m.group(3), String.valueOf(month(m.group(2))), m.group(1)));
        m = MONTH_DAY.matcher(text);
        while (m.find()) add(out, m, day(m.group(3), String.valueOf(month(m.group(1))), m.group(2)));
        m = MONTH_YEAR.matcher(text);
        while (m.find()) {
            int s = m.start();
            int e = m.end();
            if (out.stream().anyMatch(x -> s < x.end() && x.start() < e)) continue;
            out.add(new CitedDate(null, YearMonth.of(Integer.parseInt(m.group(2)), month(m.group(1))), s, e, m.group()));
        }
        return out;
    }

    private static void add(List<CitedDate> out, Matcher m, LocalDate d) {
        if (d == null) return;
        int s = m.start();
        int e = m.end();
        if (out.stream().anyMatch(x -> s < x.end() && x.start() < e)) return;
        out.add(new CitedDate(d, YearMonth.from(d), s, e, m.group()));
    }

    private static LocalDate day(String y, String mo, String d) {
        try {
            return LocalDate.of(Integer.parseInt(y), Integer.parseInt(mo), Integer.parseInt(d));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static int month(String name) {
        return MONTHS.get(name.toLowerCase(Locale.ROOT).replace(".", "").substring(0, 3));
    }

    private static Map<String, Integer> months() {
        String[] n = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < n.length; i++) m.put(n[i], i + 1);
        return m;
    }
}
