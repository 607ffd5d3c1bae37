package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;

/**
 * template-contradiction: untouched template text that says the opposite of what the radiologist
 * wrote. Either the template denies a finding the report affirms ("No pleural effusion." left in,
 * "small right pleural effusion" added), or the template calls an organ normal where the report
 * places a significant finding ("The lungs are clear." and "right lower lobe consolidation"). A side
 * the template names must match: "The right kidney is unremarkable" does not contradict a left renal
 * finding.
 */
public final class TemplateContradictionCheck implements QcCheck {

    public TemplateContradictionCheck(RuleParameters p) {
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        List<Mention> positives = r.mentions().stream()
                .filter(m -> m.affirmed() && !m.inTemplateText() && !m.section().equals("history") && !m.section().equals("comparison"))
                .toList();
        for (Sentence s : r.allSentences()) {
            if (!r.inTemplate(s.section(), s.start(), s.end())) continue;
            Mention hit = denied(r, s, positives);
            if (hit == null) hit = declaredNormal(r, s, positives);
            if (hit != null) {
                out.add(new Flag(new TextSpan(s.section(), s.start(), s.end(), s.text()), "The template sentence \"" + s.text()
                        + "\" was left in, but the report also says \"" + hit.sentence().text() + "\". Remove or edit the template sentence."));
            }
        }
        return out;
    }

    /** A finding the template sentence denies that the radiologist affirms elsewhere. */
    private static Mention denied(ReportReading r, Sentence s, List<Mention> positives) {
        for (Mention t : r.mentions()) {
            if (t.sentence() != s || !t.negated()) continue;
            for (Mention p : positives) {
                if (p.concept().equals(t.concept()) && FindingsAgreement.sidesCompatible(t.side(), p.side())) return p;
            }
        }
        return null;
    }

    /** A region the template sentence calls normal where the radiologist places a significant finding. */
    private static Mention declaredNormal(ReportReading r, Sentence s, List<Mention> positives) {
        String text = s.sectionText();
        if (r.lexicon().normalTerms().find(text, s.start(), s.end()).isEmpty()) return null;
        for (PhraseMatcher.Match region : r.lexicon().regions().find(text, s.start(), s.end())) {
            Side side = r.lexicon().sides().sideOf(s, region.start(), region.end());
            for (Mention p : positives) {
                QcLexicon.Concept c = r.lexicon().concept(p.concept());
                if (c == null || !c.significant() || !c.regions().contains(region.key())) continue;
                if (FindingsAgreement.sidesCompatible(side, p.side())) return p;
            }
        }
        return null;
    }
}
