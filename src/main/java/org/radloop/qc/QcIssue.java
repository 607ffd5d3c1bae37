package org.radloop.qc;

/**
 * One thing a QC rule found: which rule, how severe, where (null when the issue is in the order or
 * image data rather than in the text) and an explanation written for the radiologist.
 */
public record QcIssue(String ruleId, Severity severity, TextSpan span, String explanation) {
}
