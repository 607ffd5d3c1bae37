package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;

/**
 * impression-unsupported: the impression affirms a significant finding the findings section does not
 * describe (or denies, or puts on the other side). A conclusion without its finding is either a
 * finding left out of the body or a conclusion dictated into the wrong report. A diagnosis is often
 * concluded from a description in other words ("the appendix measures 14 mm with surrounding
 * inflammatory change" supports "appendicitis"): a findings sentence about the same organ that neither
 * calls it normal nor denies anything counts as support.
 */
public final class ImpressionUnsupportedCheck implements QcCheck {

    public ImpressionUnsupportedCheck(RuleParameters p) {
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        if (!r.hasText("findings")) return out;
        List<Mention> findings = r.mentions("findings");
        for (Mention m : r.mentions("impression")) {
            QcLexicon.Concept c = r.lexicon().concept(m.concept());
            if (m.negated() || c == null || !c.significant()) continue;
            if (FindingsAgreement.carried(r, m, findings)) continue;
            Mention denied = FindingsAgreement.denied(r, m, findings);
            if (denied == null && describedAbnormal(r, c)) continue;
            String why = denied != null
                    ? "but the findings say it is absent (\"" + denied.sentence().text() + "\")"
                    : "but the findings do not describe it";
            out.add(new Flag(m.span(), "The impression states \"" + FindingsAgreement.sided(m) + "\" " + why
                    + ". Describe it in the findings or correct the impression."));
        }
        return out;
    }

    /** A findings sentence that names one of the finding's organs, calls nothing normal and denies nothing. */
    private static boolean describedAbnormal(ReportReading r, QcLexicon.Concept c) {
        for (Sentence s : r.sentences("findings")) {
            String text = s.sectionText();
            boolean organ = r.lexicon().regions().find(text, s.start(), s.end()).stream().anyMatch(x -> c.regions().contains(x.key()));
            if (!organ) continue;
            if (!r.lexicon().normalTerms().find(text, s.start(), s.end()).isEmpty()) continue;
            boolean denies = r.mentions("findings").stream().anyMatch(m -> m.sentence() == s && m.negated());
            if (!denies) return true;
        }
        return false;
    }
}
