package org.radloop.qc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * other-patient: text that belongs to someone else: the name, an identifier or the accession of
 * another patient whose study the radiologist had open, an identifier-shaped number that is not this
 * patient's or this study's, or a titled name ("Mrs Jones") that is not this patient's. The usual
 * cause is dictating into the wrong open report; a signed report must never carry another patient's data.
 */
public final class OtherPatientCheck implements QcCheck {
    private final List<Pattern> identifierPatterns = new ArrayList<>();
    private final Pattern titledName;

    public OtherPatientCheck(RuleParameters p) {
        for (String s : p.strings("identifierPatterns", List.of("(?<![\\p{Alnum}])(?:MRN|ACC)[-:#]?\\s?\\d{6,10}(?![\\p{Alnum}])")))
            identifierPatterns.add(Pattern.compile(s, Pattern.CASE_INSENSITIVE));
        List<String> titles = p.strings("nameTitles", List.of("Mr", "Mrs", "Ms", "Miss", "Mx"));
        this.titledName = Pattern.compile("(?<![\\p{Alpha}])(?:" + String.join("|", titles.stream().map(Pattern::quote).toList())
                + ")\\.?\\s+((?:[A-Z][\\p{L}'\\-]+\\s+)?[A-Z][\\p{L}'\\-]+)");
    }

    @Override
    public List<Flag> check(ReportReading r) {
        ReportUnderReview rep = r.report();
        ReportUnderReview.PatientIdentity me = rep.patient();
        Set<String> ownIds = new LinkedHashSet<>();
        for (String id : me.identifiers()) ownIds.addAll(idForms(id));
        if (me.accession() != null) ownIds.addAll(idForms(me.accession()));
        List<Flag> out = new ArrayList<>();
        List<int[]> seen = new ArrayList<>();
        rep.sections().forEach((section, text) -> {
            if (text == null) return;
            for (ReportUnderReview.PatientIdentity other : rep.otherOpenStudies()) {
                for (String name : nameForms(other)) find(text, name, false, section, seen, out,
                        "another patient's name (a study open in the same session)");
                List<String> ids = new ArrayList<>(other.identifiers());
                if (other.accession() != null) ids.add(other.accession());
                for (String id : ids) {
                    if (id == null || id.isBlank() || ownIds.containsAll(idForms(id))) continue;
                    find(text, id, true, section, seen, out, "another patient's identifier or accession (a study open in the same session)");
                }
            }
            for (Pattern p : identifierPatterns) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    if (overlaps(seen, m.start(), m.end())) continue;
                    if (idForms(m.group()).stream().anyMatch(ownIds::contains)) continue;
                    seen.add(new int[] {m.start(), m.end()});
                    out.add(flag(section, m.start(), m.end(), m.group(), "an identifier that is not this patient's or this study's"));
                }
            }
            Matcher m = titledName.matcher(text);
            while (m.find()) {
                if (overlaps(seen, m.start(), m.end())) continue;
                if (isOwnName(m.group(1), me)) continue;
                seen.add(new int[] {m.start(), m.end()});
                out.add(flag(section, m.start(), m.end(), m.group(), "a patient's name that is not this patient's"));
            }
        });
        return out;
    }

    private static void find(String text, String needle, boolean exactToken, String section, List<int[]> seen, List<Flag> out, String what) {
        Pattern p = Pattern.compile("(?<![\\p{Alnum}])" + Pattern.quote(needle).replace(" ", "\\E[\\s,]+\\Q") + "(?![\\p{Alnum}])",
                exactToken ? 0 : Pattern.CASE_INSENSITIVE);
        Matcher m = p.matcher(text);
        while (m.find()) {
            if (overlaps(seen, m.start(), m.end())) continue;
            seen.add(new int[] {m.start(), m.end()});
            out.add(flag(section, m.start(), m.end(), m.group(), what));
        }
    }

    private static Flag flag(String section, int start, int end, String text, String what) {
        return new Flag(new TextSpan(section, start, end, text), "\"" + text + "\" in the " + RequiredSectionsCheck.label(section)
                + " looks like " + what + ". Check that this text belongs to this patient's report.");
    }

    private static boolean overlaps(List<int[]> seen, int s, int e) {
        return seen.stream().anyMatch(x -> s < x[1] && x[0] < e);
    }

    /** "MRN 12345678", "12345678" and "mrn12345678" are the same identifier. */
    static Set<String> idForms(String id) {
        Set<String> forms = new LinkedHashSet<>();
        if (id == null) return forms;
        String alnum = id.replaceAll("[^\\p{Alnum}]", "").toUpperCase(Locale.ROOT);
        String digits = id.replaceAll("\\D", "");
        if (!alnum.isEmpty()) forms.add(alnum);
        if (digits.length() >= 5) forms.add(digits);
        return forms;
    }

    private static List<String> nameForms(ReportUnderReview.PatientIdentity p) {
        List<String> forms = new ArrayList<>();
        if (p.familyName() == null || p.familyName().isBlank()) return forms;
        if (p.givenName() != null && !p.givenName().isBlank()) {
            forms.add(p.givenName() + " " + p.familyName());
            forms.add(p.familyName() + " " + p.givenName());
        }
        return forms;
    }

    private static boolean isOwnName(String name, ReportUnderReview.PatientIdentity me) {
        for (String part : name.replaceAll("'s$", "").split("\\s+")) {
            if (part.equalsIgnoreCase(nz(me.familyName())) || part.equalsIgnoreCase(nz(me.givenName()))) return true;
        }
        return false;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
