package org.radloop.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The score among readers who pass every hard constraint; the highest wins. docs/routing-assignment.md
 * explains each part with an example. Parts are kept by name so that the decision records them.
 *
 * <ul>
 *   <li>subspecialty: +40 when the reader lists the case's subspecialty, +10 when taking it as a
 *       general radiologist (so a subspecialist on shift always comes first, other things equal)</li>
 *   <li>load: -20 per hour of open work at the reader's own rate (openRvu / rvuPerHour)</li>
 *   <li>deadline: +10 when, after their open work, the reader would finish the case before its
 *       deadline; -30 when they would not</li>
 *   <li>continuity: +15 when the reader reported one of the patient's earlier studies</li>
 *   <li>fairness: up to +/-10 for RVUs taken this shift below/above the mean of the eligible readers</li>
 * </ul>
 */
final class AssignmentScore {

    static final double SUBSPECIALTY = 40, GENERAL = 10, LOAD_PER_HOUR = 20, IN_TIME = 10, LATE = -30, CONTINUITY = 15, FAIRNESS = 10;

    private AssignmentScore() {
    }

    record Scored(ReaderState reader, double total, Map<String, Double> parts) {
    }

    static Scored score(ReaderState reader, CaseNeeds c, Instant now, double meanShiftRvu) {
        Map<String, Double> parts = new LinkedHashMap<>();
        double rate = reader.config().rvuPerHour();
        parts.put("subspecialty", reader.config().reads(c.subspecialty()) ? SUBSPECIALTY : GENERAL);
        double hoursQueued = reader.openRvu() / rate;
        parts.put("load", round(-LOAD_PER_HOUR * hoursQueued));
        double hoursToFinish = (reader.openRvu() + c.rvu()) / rate;
        Instant finish = now.plus(Duration.ofSeconds((long) (hoursToFinish * 3600)));
        parts.put("deadline", finish.isAfter(c.deadline()) ? LATE : IN_TIME);
        parts.put("continuity", c.priorReaders().contains(reader.id()) ? CONTINUITY : 0.0);
        double spread = Math.max(meanShiftRvu, 1.0);
        double fairness = Math.max(-1, Math.min(1, (meanShiftRvu - reader.shiftRvu()) / spread));
        parts.put("fairness", round(FAIRNESS * fairness));
        double total = 0;
        for (double v : parts.values()) total += v;
        return new Scored(reader, round(total), parts);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
