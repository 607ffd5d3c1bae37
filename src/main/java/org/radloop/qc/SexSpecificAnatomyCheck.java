package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;

/**
 * sex-specific-anatomy: a prostate in a woman's report or a uterus in a man's is nearly always text
 * from another patient or the wrong template. Checked whether the sentence affirms or denies the
 * organ ("the uterus is not seen" in a man's pelvis is the same slip). Only the recorded sexes in
 * {@code checkedSexes} are checked, so unknown or other sex never raises an issue.
 */
public final class SexSpecificAnatomyCheck implements QcCheck {
    private final List<String> checkedSexes;

    public SexSpecificAnatomyCheck(RuleParameters p) {
        this.checkedSexes = p.strings("checkedSexes", List.of("F", "M"));
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        String recorded = r.report().patient().sex();
        String s = recorded == null ? "" : recorded.trim().toUpperCase(java.util.Locale.ROOT);
        // Only female and male have a lexicon of the other sex's anatomy to look for.
        if (!checkedSexes.contains(s) || !(s.equals("F") || s.equals("M"))) return out;
        String other = s.equals("F") ? "M" : "F";
        String patientWord = s.equals("F") ? "female" : "male";
        String otherWord = s.equals("F") ? "male" : "female";
        r.report().sections().forEach((section, text) -> {
            if (text == null) return;
            for (PhraseMatcher.Match m : r.lexicon().anatomyOf(other).find(text)) {
                out.add(new Flag(new TextSpan(section, m.start(), m.end(), m.text()), "\"" + m.text() + "\" is " + otherWord
                        + " anatomy, but the patient's recorded sex is " + patientWord
                        + ". Check for text from another patient or the wrong template (or correct the recorded sex)."));
            }
        });
        return out;
    }
}
