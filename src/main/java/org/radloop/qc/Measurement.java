package org.radloop.qc;

import java.util.List;

/**
 * A measurement written in the report: its dimensions as written ("2.1 x 1.5 cm" is two), the unit,
 * the values in the lexicon's base unit (mm, ml, HU), what it measures and where it is.
 */
public record Measurement(List<Double> values, QcLexicon.Unit unit, List<Double> base, QcLexicon.Subject subject,
                          Sentence sentence, TextSpan span) {
    public double largestBase() {
        return base.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
