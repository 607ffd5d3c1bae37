package org.radloop.qc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report read once for all rules: its sections split into sentences, every finding it names with
 * negation and side, and which stretches are untouched template text.
 */
public final class ReportReading {

    /** A stretch of untouched template text in one section. */
    public record TemplateSpan(String section, int start, int end) {
        boolean contains(String s, int from, int to) {
            return section.equals(s) && from >= start && to <= end;
        }
    }

    private final ReportUnderReview report;
    private final QcLexicon lexicon;
    private final Map<String, List<Sentence>> sentences = new LinkedHashMap<>();
    private final List<Mention> mentions = new ArrayList<>();
    private final List<TemplateSpan> templateSpans = new ArrayList<>();

    public ReportReading(ReportUnderReview report, QcLexicon lexicon) {
        this.report = report;
        this.lexicon = lexicon;
        List<String> templateTexts = new ArrayList<>(report.untouchedTemplateText());
        templateTexts.addAll(report.template().normalSentences());
        report.sections().forEach((name, text) -> {
            if (text == null) return;
            for (String t : templateTexts) findAll(name, text, t);
            List<Sentence> list = SentenceSplitter.split(name, text);
            sentences.put(name, list);
            for (Sentence s : list) {
                for (PhraseMatcher.Match m : lexicon.findings().find(text, s.start(), s.end())) {
                    boolean negated = lexicon.negation().isNegated(s, m.start(), m.end());
                    Side side = lexicon.sides().sideOf(s, m.start(), m.end());
                    boolean tpl = inTemplate(name, m.start(), m.end());
                    boolean old = lexicon.historicalTerms().find(text, s.start(), m.start()).stream()
                            .anyMatch(h -> NegationDetector.words(text, h.end(), m.start()) <= 3);
                    mentions.add(new Mention(m.key(), s, m.start(), m.end(), m.text(), negated, side, tpl, old));
                }
            }
        });
    }

    private void findAll(String section, String text, String templateText) {
        if (templateText == null || templateText.isBlank()) return;
        String hay = text.toLowerCase(Locale.ROOT);
        String needle = templateText.trim().toLowerCase(Locale.ROOT);
        int from = 0;
        int at;
        while ((at = hay.indexOf(needle, from)) >= 0) {
            templateSpans.add(new TemplateSpan(section, at, at + needle.length()));
            from = at + needle.length();
        }
    }

    public ReportUnderReview report() {
        return report;
    }

    public QcLexicon lexicon() {
        return lexicon;
    }

    /** The section's text, or null when the report has no such section. */
    public String text(String section) {
        return report.sections().get(section);
    }

    public boolean hasText(String section) {
        String t = text(section);
        return t != null && !t.isBlank();
    }

    public List<Sentence> sentences(String section) {
        return sentences.getOrDefault(section, List.of());
    }

    public List<Sentence> allSentences() {
        List<Sentence> all = new ArrayList<>();
        sentences.values().forEach(all::addAll);
        return all;
    }

    public List<Mention> mentions() {
        return mentions;
    }

    public List<Mention> mentions(String section) {
        return mentions.stream().filter(m -> m.section().equals(section)).toList();
    }

    public List<TemplateSpan> templateSpans() {
        return templateSpans;
    }

    public boolean inTemplate(String section, int start, int end) {
        return templateSpans.stream().anyMatch(t -> t.contains(section, start, end));
    }

    /** The sentence of a section that holds the offset, or null. */
    public Sentence sentenceAt(String section, int offset) {
        for (Sentence s : sentences(section)) if (offset >= s.start() && offset < s.end()) return s;
        return null;
    }
}
