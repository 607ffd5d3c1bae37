package org.radloop.qc;

/** What a check reports before the engine attaches the rule id and the configured severity. */
public record Flag(TextSpan span, String explanation) {
}
