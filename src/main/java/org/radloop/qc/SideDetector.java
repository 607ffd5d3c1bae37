package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which side a mention is about: the nearest side word before it in the sentence ("left pleural
 * effusion", "right kidney ... cyst"), else the nearest after it ("consolidation in the right lower
 * lobe"). Side words inside fixed anatomical names ("right ventricle") do not count: they name a
 * structure, not a side.
 */
public final class SideDetector {

    private static final int WORDS_BEFORE = 5;
    private static final int WORDS_AFTER = 4;

    private final PhraseMatcher sides;
    private final PhraseMatcher fixedAnatomy;

    public SideDetector(List<String> left, List<String> right, List<String> bilateral, List<String> fixedAnatomy) {
        this.sides = PhraseMatcher.of(Map.of("LEFT", left, "RIGHT", right, "BILATERAL", bilateral), false);
        this.fixedAnatomy = PhraseMatcher.of("fixed", fixedAnatomy, true);
    }

    /** Side words of the sentence that name a side (not those inside fixed anatomical names). */
    public List<PhraseMatcher.Match> sideWords(Sentence s) {
        String text = s.sectionText();
        List<PhraseMatcher.Match> fixed = fixedAnatomy.find(text, s.start(), s.end());
        List<PhraseMatcher.Match> out = new ArrayList<>();
        for (PhraseMatcher.Match m : sides.find(text, s.start(), s.end())) {
            if (fixed.stream().noneMatch(f -> m.start() >= f.start() && m.end() <= f.end())) out.add(m);
        }
        return out;
    }

    public Side sideOf(Sentence s, int start, int end) {
        String text = s.sectionText();
        PhraseMatcher.Match before = null;
        PhraseMatcher.Match after = null;
        for (PhraseMatcher.Match m : sideWords(s)) {
            if (m.end() <= start && NegationDetector.words(text, m.end(), start) <= WORDS_BEFORE) before = m;
            if (m.start() >= end && after == null && NegationDetector.words(text, end, m.start()) <= WORDS_AFTER) after = m;
            if (m.start() < end && start < m.end()) return Side.valueOf(m.key()); // "left-sided effusion" style overlap
        }
        PhraseMatcher.Match chosen = before != null ? before : after;
        return chosen == null ? null : Side.valueOf(chosen.key());
    }
}
