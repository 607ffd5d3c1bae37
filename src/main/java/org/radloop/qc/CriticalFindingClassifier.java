package org.radloop.qc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a signed report's critical findings and their ACR category (1 minutes, 2 hours, 3 days): from
 * the final text of the findings and impression, negation included ("no pneumothorax" is not one),
 * and from the AI findings the radiologist confirmed. Each finding is listed once (the first
 * affirmed mention); a finding the report calls known ("unchanged", "previously communicated") is
 * kept but marked known.
 */
public final class CriticalFindingClassifier {
    private static final List<String> SECTIONS = List.of("findings", "impression");

    private final CriticalLexicon lexicon;
    private final QcLexicon reading;

    public CriticalFindingClassifier(CriticalLexicon lexicon, QcLexicon readingLexicon) {
        this.lexicon = lexicon;
        this.reading = readingLexicon;
    }

    public List<CriticalFinding> classify(ReportUnderReview report) {
        return classify(new ReportReading(report, reading));
    }

    public List<CriticalFinding> classify(ReportReading r) {
        List<CriticalFinding> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String section : SECTIONS) {
            for (Sentence s : r.sentences(section)) {
                for (PhraseMatcher.Match m : lexicon.matcher().find(s.sectionText(), s.start(), s.end())) {
                    if (r.lexicon().negation().isNegated(s, m.start(), m.end())) continue;
                    if (!seen.add(m.key())) continue;
                    boolean known = !lexicon.knownTerms().find(s.sectionText(), s.start(), s.end()).isEmpty();
                    out.add(finding(lexicon.entry(m.key()), CriticalFinding.Source.REPORT_TEXT,
                            new TextSpan(section, m.start(), m.end(), m.text()), known));
                }
            }
        }
        for (ReportUnderReview.AiReview ai : r.report().aiFindings()) {
            if (ai.verdict() != ReportUnderReview.Verdict.CONFIRMED) continue;
            CriticalLexicon.Entry e = entryForAi(ai);
            if (e == null || !seen.add(e.id())) continue;
            out.add(finding(e, CriticalFinding.Source.CONFIRMED_AI, null, false));
        }
        out.sort(Comparator.comparingInt(CriticalFinding::category));
        return out;
    }

    /** The most urgent category among the findings, if any. */
    public Optional<Integer> highestCategory(List<CriticalFinding> findings) {
        return findings.stream().map(CriticalFinding::category).min(Integer::compare);
    }

    private CriticalFinding finding(CriticalLexicon.Entry e, CriticalFinding.Source source, TextSpan span, boolean known) {
        CriticalLexicon.Category c = lexicon.category(e.category());
        return new CriticalFinding(e.id(), e.name(), e.category(), c == null ? null : c.deadline(), source, span, known);
    }

    private CriticalLexicon.Entry entryForAi(ReportUnderReview.AiReview ai) {
        for (CriticalLexicon.Entry e : lexicon.entries().values()) {
            if (ai.code() != null && e.codes().stream().anyMatch(ai.code()::equalsIgnoreCase)) return e;
            if (ai.label() != null && (e.id().equalsIgnoreCase(ai.label()) || e.aiLabels().stream().anyMatch(ai.label()::equalsIgnoreCase))) return e;
        }
        if (ai.text() != null) {
            List<PhraseMatcher.Match> m = lexicon.matcher().find(ai.text());
            if (!m.isEmpty()) return lexicon.entry(m.get(0).key());
        }
        return null;
    }
}
