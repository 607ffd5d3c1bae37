package org.radloop.qc;

/** How a rule's issue affects delivery: BLOCK sends the report back to its radiologist, WARN only shows it. */
public enum Severity {
    WARN, BLOCK
}
