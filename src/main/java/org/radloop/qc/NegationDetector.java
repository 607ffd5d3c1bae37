package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NegEx-style negation (Chapman et al., J Biomed Inform 2001): is a finding mentioned in a sentence
 * denied? A pre-negation trigger ("no", "without", "no evidence of") denies what follows it, a
 * post-negation trigger ("is not seen", "has resolved") what precedes it, each within at most
 * {@code maxScopeWords} words and never across a terminator ("but", "however", "apart from") or the
 * end of the sentence. Pseudo-triggers ("no change", "not only", "cannot be excluded") look like
 * negations and are not: their words never act as triggers.
 */
public final class NegationDetector {

    private static final Pattern WORD = Pattern.compile("[\\p{Alnum}]+");

    private final PhraseMatcher pre;
    private final PhraseMatcher post;
    private final PhraseMatcher pseudo;
    private final PhraseMatcher terminators;
    private final int maxScopeWords;

    public NegationDetector(List<String> pre, List<String> post, List<String> pseudo, List<String> terminators, int maxScopeWords) {
        this.pre = PhraseMatcher.of("pre", pre, false);
        this.post = PhraseMatcher.of("post", post, false);
        this.pseudo = PhraseMatcher.of("pseudo", pseudo, false);
        this.terminators = PhraseMatcher.of("end", terminators, false);
        this.maxScopeWords = maxScopeWords;
    }

    /** The trigger that denies text[start, end) of the sentence, or null when the mention is affirmed. */
    public PhraseMatcher.Match negatingTrigger(Sentence s, int start, int end) {
        String text = s.sectionText();
        List<PhraseMatcher.Match> pseudos = pseudo.find(text, s.start(), s.end());
        List<PhraseMatcher.Match> ends = terminators.find(text, s.start(), s.end());
        PhraseMatcher.Match best = null;
        for (PhraseMatcher.Match t : live(pre.find(text, s.start(), s.end()), pseudos, start, end)) {
            if (t.end() > start) continue;
            if (words(text, t.end(), start) > maxScopeWords) continue;
            if (crosses(ends, t.end(), start)) continue;
            if (best == null || t.end() > best.end()) best = t;
        }
        if (best != null) return best;
        for (PhraseMatcher.Match t : live(post.find(text, s.start(), s.end()), pseudos, start, end)) {
            if (t.start() < end) continue;
            if (words(text, end, t.start()) > maxScopeWords) continue;
            if (crosses(ends, end, t.start())) continue;
            return t;
        }
        return null;
    }

    public boolean isNegated(Sentence s, int start, int end) {
        return negatingTrigger(s, start, end) != null;
    }

    /** Triggers that are not part of a pseudo-trigger and do not overlap the mention itself. */
    private static List<PhraseMatcher.Match> live(List<PhraseMatcher.Match> triggers, List<PhraseMatcher.Match> pseudos,
                                                  int start, int end) {
        List<PhraseMatcher.Match> out = new ArrayList<>();
        for (PhraseMatcher.Match t : triggers) {
            boolean inPseudo = pseudos.stream().anyMatch(p -> t.start() < p.end() && p.start() < t.end());
            boolean overlapsMention = t.start() < end && start < t.end();
            if (!inPseudo && !overlapsMention) out.add(t);
        }
        return out;
    }

    private static boolean crosses(List<PhraseMatcher.Match> ends, int from, int to) {
        return ends.stream().anyMatch(e -> e.start() >= from && e.end() <= to);
    }

    static int words(String text, int from, int to) {
        if (to <= from) return 0;
        Matcher m = WORD.matcher(text.substring(from, to));
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
