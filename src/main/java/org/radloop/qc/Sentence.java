package org.radloop.qc;

/** A sentence (or a clause ended by a semicolon) of one section, with its offsets in that section's text. */
public record Sentence(String section, int start, int end, String sectionText) {
    public String text() {
        return sectionText.substring(start, end);
    }
}
