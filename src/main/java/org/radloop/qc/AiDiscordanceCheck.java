package org.radloop.qc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ai-discordance: a confident AI finding that the report calls absent (and the radiologist did not
 * reject with a reason), that the radiologist rejected without saying why, or that the radiologist
 * confirmed and the report never mentions, gets a second look. Agreement is not required: a reasoned
 * rejection is the radiologist's call; the point is that disagreement is deliberate.
 */
public final class AiDiscordanceCheck implements QcCheck {
    private final double minProbability;
    private final boolean flagConfirmedButUnreported;

    public AiDiscordanceCheck(RuleParameters p) {
        this.minProbability = p.number("minProbability", 0.7);
        this.flagConfirmedButUnreported = p.bool("flagConfirmedButUnreported", true);
    }

    @Override
    public List<Flag> check(ReportReading r) {
        List<Flag> out = new ArrayList<>();
        for (ReportUnderReview.AiReview ai : r.report().aiFindings()) {
            double threshold = ai.threshold() == null ? 0.5 : ai.threshold();
            if (ai.probability() < threshold || ai.probability() < minProbability) continue;
            String what = ai.text() != null ? ai.text() : ai.label();
            String pct = String.format(Locale.ROOT, "%.0f%%", ai.probability() * 100);
            boolean reasoned = ai.rejectionReason() != null && !ai.rejectionReason().isBlank();
            if (ai.verdict() == ReportUnderReview.Verdict.REJECTED && !reasoned) {
                out.add(new Flag(null, "The AI reported " + what + " (" + pct + ") and it was rejected without a reason. "
                        + "Record why, or look again."));
                continue;
            }
            if (ai.verdict() == ReportUnderReview.Verdict.REJECTED) continue;
            QcLexicon.Concept c = r.lexicon().conceptForAi(ai.label(), ai.code(), ai.text());
            if (c == null) continue;
            List<Mention> about = r.mentions().stream()
                    .filter(m -> (m.section().equals("findings") || m.section().equals("impression")) && m.concept().equals(c.id()))
                    .toList();
            boolean affirmed = about.stream().anyMatch(Mention::affirmed);
            Mention denial = about.stream().filter(Mention::negated).findFirst().orElse(null);
            if (!affirmed && denial != null) {
                out.add(new Flag(denial.sentenceSpan(), "The AI reported " + what + " (" + pct + ")"
                        + (ai.verdict() == ReportUnderReview.Verdict.CONFIRMED ? ", confirmed by the radiologist," : "")
                        + " but the report says it is absent: \"" + denial.sentence().text() + "\". Look again, or reject the AI finding with a reason."));
            } else if (!affirmed && flagConfirmedButUnreported && ai.verdict() == ReportUnderReview.Verdict.CONFIRMED) {
                out.add(new Flag(null, "The AI finding " + what + " was confirmed, but the report does not describe it."));
            }
        }
        return out;
    }
}
