package org.radloop.qc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * impression-omission: a significant finding the findings section affirms but the impression does not
 * carry (by itself or a related finding: "consolidation" is carried by "pneumonia"). The impression is
 * what the referrer reads; a finding left out of it is a finding missed. Incidental findings the
 * lexicon marks not significant (a simple renal cyst) and findings the report calls old ("old healed
 * fracture") may stay out of the impression.
 */
public final class ImpressionOmissionCheck implements QcCheck {

    public ImpressionOmissionCheck(RuleParameters p) {
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        if (!r.hasText("impression")) return out; // a missing impression is required-sections' business
        List<Mention> impression = r.mentions("impression");
        Set<String> reported = new HashSet<>();
        for (Mention m : r.mentions("findings")) {
            QcLexicon.Concept c = r.lexicon().concept(m.concept());
            if (m.negated() || m.inTemplateText() || m.historical() || c == null || !c.significant()) continue;
            if (FindingsAgreement.carried(r, m, impression)) continue;
            if (!reported.add(m.concept() + "/" + m.side())) continue;
            out.add(new Flag(m.span(), "The findings describe \"" + FindingsAgreement.sided(m) + "\" (\"" + m.sentence().text()
                    + "\") but the impression does not mention it. Add it to the impression or say why it is not significant."));
        }
        return out;
    }
}
