package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * placeholder: text a template or a dictation macro leaves to be filled in ("[***]", "XXX", "___",
 * "[side]") that is still in the signed report. The patterns are the site's, in conf/qc-rules.yaml
 * (the default "XX" pattern spares a karyotype "46,XX").
 */
public final class PlaceholderCheck implements QcCheck {
    private final List<Pattern> patterns = new ArrayList<>();

    public PlaceholderCheck(RuleParameters p) {
        for (String s : p.strings("patterns", List.of("\\[\\s*\\*+\\s*\\]", "(?<![\\p{Alnum}])[Xx]{3,}(?![\\p{Alnum}])")))
            patterns.add(Pattern.compile(s, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        r.report().sections().forEach((section, text) -> {
            if (text == null) return;
            List<int[]> seen = new ArrayList<>();
            for (Pattern p : patterns) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    int s = m.start();
                    int e = m.end();
                    if (seen.stream().anyMatch(x -> s < x[1] && x[0] < e)) continue;
                    seen.add(new int[] {s, e});
                    out.add(new Flag(new TextSpan(section, s, e, m.group()), "The " + RequiredSectionsCheck.label(section)
                            + " still contains the placeholder \"" + m.group() + "\". Fill it in or remove it."));
                }
            }
        });
        return out;
    }
}
