package org.radloop.reporting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between two report versions, section by section. When one side reports findings
 * as a single block (a report signed in another system) and the other per organ, the organ sections
 * are joined into one "findings" section first, so that like is compared with like.
 */
final class SectionDiff {

    /** One section's change: unchanged, changed, added or removed. */
    record Entry(String section, String status, String before, String after) {
    }

    private SectionDiff() {
    }

    static List<Entry> between(List<Section> from, List<Section> to) {
        boolean collapse = perOrgan(from) != perOrgan(to);
        Map<String, String> a = texts(from, collapse);
        Map<String, String> b = texts(to, collapse);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            String after = b.get(e.getKey());
            if (!b.containsKey(e.getKey())) out.add(new Entry(e.getKey(), "removed", e.getValue(), null));
            else out.add(new Entry(e.getKey(), same(e.getValue(), after) ? "unchanged" : "changed", e.getValue(), after));
        }
        for (Map.Entry<String, String> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) out.add(new Entry(e.getKey(), "added", null, e.getValue()));
        }
        return out;
    }

    static int changed(List<Entry> entries) {
        int n = 0;
        for (Entry e : entries) if (!e.status().equals("unchanged")) n++;
        return n;
    }

    private static boolean perOrgan(List<Section> sections) {
        for (Section s : sections) if (s.id().contains(".")) return true;
        return false;
    }

    private static Map<String, String> texts(List<Section> sections, boolean collapse) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Section s : sections) {
            String key = collapse ? s.group() : s.id();
            String text = s.text() == null ? "" : s.text().trim();
            if (collapse && s.id().contains(".")) text = s.title() + ": " + text;
            map.merge(key, text, (x, y) -> x + "\n" + y);
        }
        return map;
    }

    /** Whitespace is not a change. */
    private static boolean same(String x, String y) {
        return Objects.equals(norm(x), norm(y));
    }

    private static String norm(String s) {
        return s == null ? null : s.trim().replaceAll("\\s+", " ");
    }
}
