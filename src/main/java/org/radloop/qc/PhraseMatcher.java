package org.radloop.qc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the lexicon's words and phrases in text: whole words, any case, a space also matching a
 * hyphen ("left sided" = "left-sided"), optionally a plural ending; the longest phrase wins where two
 * start at the same place ("pleural effusion" over "effusion"). Each phrase carries a key (the concept).
 */
public final class PhraseMatcher {

    /**
     * "acute ... infarct": up to four words in between ("acute right MCA territory infarct"), but never
     * a word that negates or joins two findings, so "acute pain without haemorrhage" is no match.
     */
    private static final String GAP = "(?:(?!(?:no|not|without|nor|or|and|but|with)(?![\\p{Alnum}]))[\\p{Alnum}]+[\\s\\-]+){0,4}";

    /** One phrase found: the key it belongs to, offsets in the searched text, the text as written. */
    public record Match(String key, int start, int end, String text) {
    }

    private final Pattern pattern;
    private final Map<String, String> keyOf;
    private final Map<Pattern, String> gapped;

    private PhraseMatcher(Pattern pattern, Map<String, String> keyOf, Map<Pattern, String> gapped) {
        this.pattern = pattern;
        this.keyOf = keyOf;
        this.gapped = gapped;
    }

    /** Phrases by key; {@code plurals} accepts a trailing "s"/"es" on the last word. */
    public static PhraseMatcher of(Map<String, List<String>> phrasesByKey, boolean plurals) {
        Map<String, String> keyOf = new HashMap<>();
        List<String> phrases = new ArrayList<>();
        phrasesByKey.forEach((key, list) -> {
            for (String p : list) {
                String n = normalise(p);
                if (n.isEmpty()) continue;
                keyOf.putIfAbsent(n, key);
                phrases.add(n);
            }
        });
        Map<Pattern, String> gapped = new java.util.LinkedHashMap<>();
        if (phrases.isEmpty()) return new PhraseMatcher(null, keyOf, gapped);
        phrases.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alt = new StringBuilder();
        for (String p : phrases) {
            if (alt.length() > 0) alt.append('|');
            String one = phraseRegex(p);
            alt.append(one);
            if (p.contains("...")) gapped.put(Pattern.compile(one, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), keyOf.get(p));
        }
        String regex = "(?<![\\p{Alnum}])(?<t>" + alt + ")" + (plurals ? "(?:e?s)?" : "") + "(?![\\p{Alnum}])";
        return new PhraseMatcher(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), keyOf, gapped);
    }

    /** Words joined by white space or hyphens; "..." stands for a short gap of other words. */
    private static String phraseRegex(String phrase) {
        StringBuilder one = new StringBuilder();
        boolean afterGap = false;
        for (String word : phrase.split(" ")) {
            if (one.length() > 0 && !afterGap) one.append("[\\s\\-]+");
            afterGap = word.equals("...");
            one.append(afterGap ? GAP : Pattern.quote(word));
        }
        return one.toString();
    }

    private String gappedKey(String text) {
        for (Map.Entry<Pattern, String> g : gapped.entrySet()) if (g.getKey().matcher(text).matches()) return g.getValue();
        return null;
    }

    public static PhraseMatcher of(String key, List<String> phrases, boolean plurals) {
        return of(Map.of(key, phrases), plurals);
    }

    /** Lower case, hyphens and runs of white space as one space. */
    static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", " ").trim();
    }

    public List<Match> find(String text) {
        return find(text, 0, text.length());
    }

    /** Matches within text[from, to), offsets relative to the whole text. */
    public List<Match> find(String text, int from, int to) {
        List<Match> out = new ArrayList<>();
        if (pattern == null || text == null) return out;
        Matcher m = pattern.matcher(text);
        m.region(from, to);
        m.useTransparentBounds(true);
        while (m.find()) {
            String key = keyOf.get(normalise(m.group("t")));
            if (key == null) key = gappedKey(m.group("t"));
            out.add(new Match(key, m.start(), m.end(), m.group()));
        }
        return out;
    }
}
