package org.radloop.triage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.radloop.config.FacilityConfig;

/**
 * The one score that orders every queue and worklist. Documented for clinicians in
 * {@code docs/triage-priority.md}; the same formula, here:
 *
 * <pre>
 * F = max over positive findings of 100 x probability x severity / 5      (0..100; 0 without one)
 * R = min(79, topic + order priority + patient class)                     (ClinicalRules, 0..79)
 * C = max(F, R)                                                           clinical score, 0..100
 *
 * class  CRITICAL  when a positive finding has severity >= 4
 *        URGENT    otherwise when C >= 40
 *        ROUTINE   otherwise
 *
 * d = the facility's turnaround for the class, in minutes (statMinutes for CRITICAL, urgentMinutes,
 *     routineMinutes; defaults 60 / 240 / 1440); w = minutes waited since the study completed
 * A = 20 x w / d                               while w &lt; d      (ageing, 0..20)
 *   = 100 + 50 x min(1, (w - d) / d)           once w &gt;= d     (overdue, 100..150)
 *
 * S = 300 x [CRITICAL] + C + A                                            score, 0..550
 * </pre>
 *
 * Which gives three guarantees. A non-critical study has C &le; 79 (rules are capped at 79 and a
 * finding of severity &le; 3 gives F &le; 60), so: (1) a critical study (S &ge; 300) outranks every
 * non-critical one (S &le; 79 + 150); (2) a non-critical study past its deadline (S &ge; 100)
 * outranks every non-critical study still within its own deadline (S &lt; 79 + 20 = 99), so routine
 * work never starves behind a stream of newer urgent work; (3) within a band, clinical weight
 * first, then time waited relative to the agreed turnaround.
 *
 * <p>JMS priority (0-9, higher first): CRITICAL 9; overdue 8; URGENT 7 when C &ge; 60, else 6;
 * ROUTINE 5 when C &ge; 20, else 4. 0-3 are left for work that is not clinical (replays, priors).
 */
public final class PriorityPolicy {

    public static final int DEFAULT_STAT_MINUTES = 60;
    public static final int DEFAULT_URGENT_MINUTES = 240;
    public static final int DEFAULT_ROUTINE_MINUTES = 1440;
    /** A positive finding at least this severe makes the study critical. */
    public static final int CRITICAL_SEVERITY = 4;
    /** Clinical score from which a study is urgent. */
    public static final double URGENT_FROM = 40;
    public static final double CRITICAL_BAND = 300;

    public TriageDecision decide(List<Finding> findings, ClinicalRules.Outcome rules, Instant waitingSince, Instant now,
                                 FacilityConfig.Turnaround turnaround, List<ModelResult> modelResults,
                                 List<Reason> modelReasons) {
        List<Reason> reasons = new ArrayList<>();
        double f = 0;
        boolean critical = false;
        for (Finding finding : findings) {
            double points = 100 * finding.probability() * finding.severity() / 5.0;
            f = Math.max(f, points);
            critical |= finding.severity() >= CRITICAL_SEVERITY;
            reasons.add(new Reason(Reason.Kind.FINDING, "finding:" + finding.code(),
                    String.format("%s: %s, probability %.2f (threshold %.2f), severity %d, model %s %s, slices %s",
                            finding.code(), finding.text(), finding.probability(), finding.threshold(), finding.severity(),
                            finding.modelId(), finding.modelVersion(), finding.slices()), points));
        }
        reasons.addAll(rules.reasons());
        reasons.addAll(modelReasons);
        double c = Math.max(f, rules.score());
        Urgency urgency = critical ? Urgency.CRITICAL : c >= URGENT_FROM ? Urgency.URGENT : Urgency.ROUTINE;

        Standing standing = standing(urgency, c, waitingSince, now, turnaround);
        standing.ageingReason().ifPresent(reasons::add);
        return new TriageDecision(urgency, standing.score(), standing.jmsPriority(), standing.deadline(), standing.overdue(),
                c, f, rules.score(), standing.ageing(), List.copyOf(findings), List.copyOf(modelResults), List.copyOf(reasons));
    }

    /**
     * Where a study stands at {@code now}: the time-dependent half of the formula (A, S, the deadline and
     * the JMS priority) for a class and clinical score already decided. The worklist calls this with the
     * current clock, so a study's place changes as it waits without being triaged again.
     *
     * @param waitingSince when the study completed; null counts as now
     */
    public Standing standing(Urgency urgency, double clinicalScore, Instant waitingSince, Instant now,
                             FacilityConfig.Turnaround turnaround) {
        int minutes = turnaroundMinutes(urgency, turnaround);
        Instant since = waitingSince == null ? now : waitingSince;
        double waited = Math.max(0, Duration.between(since, now).toSeconds() / 60.0);
        boolean overdue = waited >= minutes;
        double a = overdue ? 100 + 50 * Math.min(1, (waited - minutes) / minutes) : 20 * waited / minutes;
        Instant deadline = since.plus(Duration.ofMinutes(minutes));
        Reason reason = null;
        if (overdue) {
            reason = new Reason(Reason.Kind.AGEING, "overdue",
                    String.format("Waited %.0f min, past the %d min turnaround for %s", waited, minutes, urgency.name().toLowerCase()), a);
        } else if (a > 0) {
            reason = new Reason(Reason.Kind.AGEING, "waiting", String.format("Waited %.0f of %d min turnaround", waited, minutes), a);
        }
        double score = (urgency == Urgency.CRITICAL ? CRITICAL_BAND : 0) + clinicalScore + a;
        return new Standing(score, a, deadline, overdue, jmsPriority(urgency, overdue, clinicalScore), waited, reason);
    }

    /**
     * The time-dependent part of a decision at one moment.
     *
     * @param ageing        A, 0..150
     * @param waitedMinutes minutes since the study completed
     * @param reason        the AGEING reason, or null when the study has not waited at all
     */
    public record Standing(double score, double ageing, Instant deadline, boolean overdue, int jmsPriority,
                           double waitedMinutes, Reason reason) {
        public java.util.Optional<Reason> ageingReason() {
            return java.util.Optional.ofNullable(reason);
        }
    }

    static int jmsPriority(Urgency urgency, boolean overdue, double c) {
        if (urgency == Urgency.CRITICAL) return 9;
        if (overdue) return 8;
        if (urgency == Urgency.URGENT) return c >= 60 ? 7 : 6;
        return c >= 20 ? 5 : 4;
    }

    static int turnaroundMinutes(Urgency urgency, FacilityConfig.Turnaround t) {
        Integer m = t == null ? null : switch (urgency) {
            case CRITICAL -> t.statMinutes();
            case URGENT -> t.urgentMinutes();
            case ROUTINE -> t.routineMinutes();
        };
        if (m != null && m > 0) return m;
        return switch (urgency) {
            case CRITICAL -> DEFAULT_STAT_MINUTES;
            case URGENT -> DEFAULT_URGENT_MINUTES;
            case ROUTINE -> DEFAULT_ROUTINE_MINUTES;
        };
    }
}
