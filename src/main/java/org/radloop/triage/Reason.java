package org.radloop.triage;

/**
 * Why a triage decision came out as it did: one rule that matched, one finding, the waiting time,
 * or a model that could not help. Every decision carries all of its reasons, for the worklist and
 * for the audit trail.
 *
 * @param kind   RULE, FINDING, AGEING or MODEL
 * @param code   machine-readable: e.g. {@code lexicon:stroke}, {@code order-priority:STAT},
 *               {@code finding:RADLOOP-DEMO-ICH}, {@code model-unavailable:ct-head-bleed-demo}
 * @param text   what a radiologist reads
 * @param points what it added to its part of the score (0 for a reason that only informs)
 */
public record Reason(Kind kind, String code, String text, double points) {

    public enum Kind { RULE, FINDING, AGEING, MODEL }
}
