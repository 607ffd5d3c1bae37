package org.radloop.ingest;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How relevant an earlier study is for reading a new one: sharing a modality counts 2, the same body
 * part (BodyPartExamined when the PACS returns it, else the body part named in its description)
 * counts 1. A candidate that shares neither is not a useful comparison. Among relevant ones the
 * most relevant come first, then the most recent.
 */
final class PriorRelevance {

    /** One study as the PACS's C-FIND described it, with its relevance for the current study. */
    record Candidate(String studyUid, LocalDate date, String description, Set<String> modalities, String bodyPart,
                     Integer instances, int relevance) {
    }

    static final Comparator<Candidate> MOST_RELEVANT_FIRST = Comparator.comparingInt(Candidate::relevance).reversed()
            .thenComparing(Candidate::date, Comparator.nullsLast(Comparator.reverseOrder()));

    private PriorRelevance() {
    }

    static int score(Set<String> studyModalities, String studyBodyPart, Set<String> priorModalities, String priorBodyPart,
                     String priorDescription) {
        int score = 0;
        for (String m : priorModalities) {
            if (studyModalities.contains(m)) {
                score += 2;
                break;
            }
        }
        if (studyBodyPart != null && !studyBodyPart.isBlank()) {
            String part = studyBodyPart.trim().toUpperCase(Locale.ROOT);
            boolean samePart = priorBodyPart != null && !priorBodyPart.isBlank()
                    ? priorBodyPart.trim().equalsIgnoreCase(part)
                    : priorDescription != null && priorDescription.toUpperCase(Locale.ROOT).contains(part);
            if (samePart) score += 1;
        }
        return score;
    }

    /** "CT\MR" or "CT,MR" as a set of modality codes. */
    static Set<String> modalities(String value) {
        Set<String> set = new LinkedHashSet<>();
        if (value != null) {
            for (String m : value.split("[\\\\,]")) if (!m.isBlank()) set.add(m.trim().toUpperCase(Locale.ROOT));
        }
        return set;
    }

    /** The {@code count} most relevant candidates that are relevant at all. */
    static List<Candidate> choose(List<Candidate> candidates, int count) {
        return candidates.stream().filter(c -> c.relevance() > 0).sorted(MOST_RELEVANT_FIRST).limit(count).toList();
    }
}
