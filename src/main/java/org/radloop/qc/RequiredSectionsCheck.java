package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * required-sections: every section the template requires is there and says something, and every
 * required field (e.g. a BI-RADS category in the impression) is filled in.
 */
public final class RequiredSectionsCheck implements QcCheck {
    private final Pattern empty;

    public RequiredSectionsCheck(RuleParameters p) {
        this.empty = Pattern.compile(p.string("emptyPattern", "^[\\s.\\-_:;,/]*$"));
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        ReportUnderReview.Template t = r.report().template();
        for (String section : t.requiredSections()) {
            String text = r.text(section);
            if (text == null) {
                out.add(new Flag(TextSpan.section(section, ""), "The template requires " + article(label(section)) + " " + label(section)
                        + " section and this report has none."));
            } else if (empty.matcher(text).matches()) {
                out.add(new Flag(TextSpan.section(section, text), "The " + label(section)
                        + " section is empty; the template requires it to be filled in."));
            }
        }
        for (ReportUnderReview.RequiredField f : t.requiredFields()) {
            String section = f.section().toLowerCase(java.util.Locale.ROOT);
            String text = r.text(section);
            Matcher m = Pattern.compile(f.pattern(), Pattern.CASE_INSENSITIVE).matcher(text == null ? "" : text);
            if (!m.find()) {
                out.add(new Flag(TextSpan.section(section, text), "The template requires " + f.name() + " in the "
                        + label(section) + " and it is not there."));
            }
        }
        return out;
    }

    private static String article(String word) {
        return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }

    static String label(String section) {
        return switch (section) {
            case "history" -> "clinical history";
            default -> section;
        };
    }
}
