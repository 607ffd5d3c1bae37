package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;

/**
 * impression-unsupported: the impression affirms a significant finding the findings section does not
 * describe (or denies, or puts on the other side). A conclusion without its finding is either a
 * finding left out of the body or a conclusion dictated into the wrong report.
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
            String why = denied != null
                    ? "but the findings say it is absent (\"" + denied.sentence().text() + "\")"
                    : "but the findings do not describe it";
            out.add(new Flag(m.span(), "The impression states \"" + FindingsAgreement.sided(m) + "\" " + why
                    + ". Describe it in the findings or correct the impression."));
        }
        return out;
    }
}
