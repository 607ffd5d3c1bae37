package org.radloop.qc;

/**
 * Where in the report an issue is: the section, the character offsets within that section's text
 * (start inclusive, end exclusive) and the quoted text, so an editor can highlight it.
 */
public record TextSpan(String section, int start, int end, String text) {
    /** A whole section, e.g. one that is missing or empty. */
    public static TextSpan section(String section, String text) {
        String t = text == null ? "" : text;
        return new TextSpan(section, 0, t.length(), t);
    }
}
