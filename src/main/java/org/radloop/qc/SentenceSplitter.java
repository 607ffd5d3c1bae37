package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits report text into sentences. A semicolon, a line break and a list bullet end a sentence too,
 * because radiologists write "right kidney unremarkable; left renal cyst" and negation must not
 * cross from one clause to the next. Decimal points ("3.2 cm") and common abbreviations do not.
 */
public final class SentenceSplitter {

    private static final Set<String> ABBREVIATIONS = Set.of("dr", "mr", "mrs", "ms", "st", "vs", "approx", "e.g", "i.e",
            "eg", "ie", "no", "fig", "cf", "incl", "prof", "mx");

    private SentenceSplitter() {
    }

    public static List<Sentence> split(String section, String text) {
        List<Sentence> out = new ArrayList<>();
        if (text == null) return out;
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean end = false;
            if (c == ';' || c == '\n' || c == '!' || c == '?') {
                end = true;
            } else if (c == '.') {
                boolean nextIsSpaceOrEnd = i + 1 >= n || Character.isWhitespace(text.charAt(i + 1));
                end = nextIsSpaceOrEnd && !isAbbreviation(text, i);
            }
            if (end) {
                add(out, section, text, start, i + 1);
                start = i + 1;
            }
        }
        add(out, section, text, start, n);
        return out;
    }

    private static boolean isAbbreviation(String text, int dot) {
        int s = dot;
        while (s > 0 && (Character.isLetter(text.charAt(s - 1)) || text.charAt(s - 1) == '.')) s--;
        String word = text.substring(s, dot).toLowerCase(java.util.Locale.ROOT);
        // "No." is an abbreviation only before a number ("No. 3"), otherwise it is the word "no" ending a sentence.
        if (word.equals("no")) return dot + 2 < text.length() && Character.isDigit(text.charAt(dot + 2));
        return ABBREVIATIONS.contains(word);
    }

    private static void add(List<Sentence> out, String section, String text, int from, int to) {
        int s = from;
        int e = to;
        while (s < e && (Character.isWhitespace(text.charAt(s)) || text.charAt(s) == '-' || text.charAt(s) == '*'
                || text.charAt(s) == '\u2022')) s++;
        while (e > s && Character.isWhitespace(text.charAt(e - 1))) e--;
        if (e > s) out.add(new Sentence(section, s, e, text));
    }
}
