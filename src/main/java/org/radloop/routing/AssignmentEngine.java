package org.radloop.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.radloop.config.RoutingPolicy;

/**
 * Chooses the reader for one case: drop everyone a hard constraint excludes, score the rest, take
 * the best. Pure: no database, no clock of its own, so the same decision can be benchmarked and
 * tested without an engine.
 *
 * <p>Critical preemption: when every reader who could take a critical case is full, the best of
 * them may still take it if they hold an assigned, unopened, non-critical case; that case goes back
 * to the shared queue ({@link Decision#displacedCase()}). A routine or urgent case never goes to a
 * full reader.
 */
public final class AssignmentEngine {

    private static final Comparator<AssignmentScore.Scored> BEST = Comparator
            .comparingDouble(AssignmentScore.Scored::total).reversed()
            .thenComparingInt(s -> s.reader().openCases())
            .thenComparing(s -> s.reader().id());

    /**
     * The decision and its reasons.
     *
     * @param chosen        the reader, or null when nobody qualifies
     * @param parts         the chosen reader's score parts
     * @param runnersUp     the next best eligible readers and their totals (at most three)
     * @param excluded      every other reader and why they could not take it
     * @param displacedCase the case a critical preemption pushes back to the queue, or null
     */
    public record Decision(String chosen, Double score, Map<String, Double> parts, Map<String, Double> runnersUp,
                           Map<String, String> excluded, Long displacedCase) {
        public boolean assigned() {
            return chosen != null;
        }
    }

    public Decision decide(CaseNeeds c, List<ReaderState> readers, Instant now, RoutingPolicy policy) {
        Map<String, String> excluded = new LinkedHashMap<>();
        List<ReaderState> eligible = new ArrayList<>();
        List<ReaderState> fullButDisplaceable = new ArrayList<>();
        for (ReaderState r : readers) {
            String why = AssignmentRules.exclusion(r, c, now, policy);
            if (why == null) {
                String full = AssignmentRules.capacity(r);
                if (full == null) {
                    eligible.add(r);
                    continue;
                }
                if (c.isCritical() && r.displaceableCase() != null) fullButDisplaceable.add(r);
                why = full;
            }
            excluded.put(r.id(), why);
        }
        boolean preempting = eligible.isEmpty() && !fullButDisplaceable.isEmpty();
        List<ReaderState> pool = preempting ? fullButDisplaceable : eligible;
        if (pool.isEmpty()) return new Decision(null, null, Map.of(), Map.of(), excluded, null);

        double mean = 0;
        for (ReaderState r : pool) mean += r.shiftRvu();
        mean /= pool.size();
        List<AssignmentScore.Scored> scored = new ArrayList<>(pool.size());
        for (ReaderState r : pool) scored.add(AssignmentScore.score(r, c, now, mean));
        scored.sort(BEST);
        AssignmentScore.Scored best = scored.get(0);
        Map<String, Double> runnersUp = new LinkedHashMap<>();
        for (int i = 1; i < Math.min(4, scored.size()); i++) runnersUp.put(scored.get(i).reader().id(), scored.get(i).total());
        if (preempting) excluded.remove(best.reader().id());
        return new Decision(best.reader().id(), best.total(), best.parts(), runnersUp, excluded,
                preempting ? best.reader().displaceableCase() : null);
    }
}
