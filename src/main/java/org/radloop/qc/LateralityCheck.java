package org.radloop.qc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * laterality: the side of a one-sided examination must be the same in the order, the procedure and
 * the images, and the report must not describe the other side (wrong-side reporting is a never
 * event). Fixed anatomical names ("right ventricle") and comparisons with the other side
 * ("compared with the right") are not discrepancies.
 */
public final class LateralityCheck implements QcCheck {
    private final List<String> sections;

    public LateralityCheck(RuleParameters p) {
        this.sections = p.strings("sections", List.of("technique", "findings", "impression"));
    }

    @Override
    public List<Flag> check(ReportReading r) {
        ReportUnderReview rep = r.report();
        Map<String, Side> sources = new LinkedHashMap<>();
        if (rep.orderLaterality() != null) sources.put("the order", rep.orderLaterality());
        if (rep.procedureLaterality() != null) sources.put("the procedure", rep.procedureLaterality());
        if (rep.dicomLaterality() != null) sources.put("the images (DICOM laterality)", rep.dicomLaterality());
        List<Flag> out = new ArrayList<>();
        Side expected = null;
        String expectedFrom = null;
        for (Map.Entry<String, Side> e : sources.entrySet()) {
            if (e.getValue() == Side.BILATERAL) continue;
            if (expected == null) {
                expected = e.getValue();
                expectedFrom = e.getKey();
            } else if (expected.contradicts(e.getValue())) {
                out.add(new Flag(null, "The side does not agree: " + expectedFrom + " says " + expected.word() + ", "
                        + e.getKey() + " says " + e.getValue().word() + ". Check that the right side was imaged and reported."));
                return out; // which side is right is unknown, so the text cannot be judged against it
            }
        }
        if (expected == null) return out;
        for (String section : sections) {
            for (Sentence s : r.sentences(section)) {
                List<PhraseMatcher.Match> contra = r.lexicon().contralateralPhrases().find(s.sectionText(), s.start(), s.end());
                for (PhraseMatcher.Match m : r.lexicon().sides().sideWords(s)) {
                    Side said = Side.valueOf(m.key());
                    boolean comparison = contra.stream().anyMatch(c -> c.end() <= m.start()
                            && NegationDetector.words(s.sectionText(), c.end(), m.start()) <= 1);
                    if (expected.contradicts(said) && !comparison) {
                        out.add(new Flag(new TextSpan(section, m.start(), m.end(), m.text()), "This is a " + expected.word()
                                + "-sided examination (" + expectedFrom + "), but the " + RequiredSectionsCheck.label(section)
                                + " says \"" + m.text() + "\": \"" + s.text() + "\""));
                    }
                }
            }
        }
        return out;
    }
}
