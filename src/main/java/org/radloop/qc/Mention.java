package org.radloop.qc;

/**
 * A finding named in the report: which finding, where, whether the sentence denies it, which side it
 * is on, whether it sits in text the template wrote and the radiologist did not touch, and whether
 * the report calls it old ("old healed fracture").
 */
public record Mention(String concept, Sentence sentence, int start, int end, String text, boolean negated, Side side,
                      boolean inTemplateText,
                      boolean historical) {
    public String section() {
        return sentence.section();
    }

    public boolean affirmed() {
        return !negated;
    }

    public TextSpan span() {
        return new TextSpan(sentence.section(), start, end, text);
    }

    /** The whole sentence as a span, for issues that are about what the sentence says. */
    public TextSpan sentenceSpan() {
        return new TextSpan(sentence.section(), sentence.start(), sentence.end(), sentence.text());
    }
}
