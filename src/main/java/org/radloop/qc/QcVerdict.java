package org.radloop.qc;

/** The outcome for one report: delivered as is, delivered with warnings shown, or back to the radiologist. */
public enum QcVerdict {
    PASS, WARN, BLOCK
}
