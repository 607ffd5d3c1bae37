package org.radloop.qc;

import java.time.Duration;

/**
 * A critical finding of a signed report: which, its ACR category and communication deadline, whether
 * it came from the report text or from an AI finding the radiologist confirmed, where it is in the
 * text (null for AI), and whether the report calls it already known ("unchanged").
 */
public record CriticalFinding(String id, String name, int category, Duration deadline, Source source, TextSpan span,
                              boolean known) {
    public enum Source { REPORT_TEXT, CONFIRMED_AI }
}
