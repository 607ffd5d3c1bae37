package org.radloop.routing;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.RoutingPolicy;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.ImagingOrder;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies assignment decisions to cases inside a transaction: gives a waiting case to the reader the
 * {@link AssignmentEngine} chooses (displacing work for a critical one when it must), puts a case back
 * in the shared queue, and pages the on-call chain when a critical case finds nobody.
 */
final class Assigner {

    private static final Logger LOG = LoggerFactory.getLogger(Assigner.class);

    /** Conditional takes refused because another node filled the reader meanwhile, before giving up this pass. */
    private static final int STALE_RETRIES = 5;

    private final RadiologistRoster roster;
    private final FacilityRegistry facilities;
    private final OnCallChain onCall;
    private final AssignmentEngine engine = new AssignmentEngine();
    private final ShiftWindows shifts = new ShiftWindows();

    Assigner(RadiologistRoster roster, FacilityRegistry facilities, OnCallChain onCall) {
        this.roster = roster;
        this.facilities = facilities;
        this.onCall = onCall;
    }

    RadiologistRoster roster() {
        return roster;
    }

    OnCallChain onCall() {
        return onCall;
    }

    ReaderBoard board(Session s, Instant now) {
        return ReaderBoard.read(s, roster.current(), shifts, now);
    }

    /**
     * Tries to give a waiting case to a reader. The reader's place is taken by a conditional update
     * of their load row ({@link ReaderLoads#take}); when another node filled them since the board was
     * read, their row is read again and the case decided again.
     *
     * @param recordQueued whether a "nobody qualifies" outcome is recorded (yes when the case just
     *                     arrived or came back; not on every periodic retry)
     * @return whether it was assigned
     */
    boolean tryAssign(Session s, ReaderBoard board, ReadingCase c, Instant now, String actor, boolean recordQueued) {
        if (c.getState() != ReadingCase.State.WAITING) return false;
        CaseNeeds needs = needs(s, c);
        for (int attempt = 0; ; attempt++) {
            AssignmentEngine.Decision d = decide(s, board, needs, now);
            if (!d.assigned()) {
                if (recordQueued) AssignmentLog.decision(s, c, AssignmentRecord.QUEUED, actor, d, null, "nobody qualifies now; waits in the shared queue", now);
                if (needs.isCritical() && c.getAlertedAt() == null) onCall.start(s, c, d, now, actor);
                return false;
            }
            ReaderState reader = board.get(d.chosen());
            if (d.displacedCase() != null) displace(s, board, c, d.displacedCase(), now, actor);
            if (!ReaderLoads.take(s, d.chosen(), c.getRvu(), reader.shiftStart(), reader.config().maxOpenCases(),
                    reader.config().rvuPerHour(), d.displacedCase() == null, now)) {
                if (d.displacedCase() != null || attempt >= STALE_RETRIES) {
                    // Another node took the room a preemption made, or keeps filling readers: start the change again.
                    throw new StaleBoardException("reader " + d.chosen() + " was filled by another node while case " + c.getId() + " was decided");
                }
                board.reread(s, d.chosen());
                continue;
            }
            // The case's version is checked when it is written: if another node assigned it meanwhile,
            // this transaction (with the take above) rolls back and the change runs again.
            c.assign(d.chosen(), now);
            board.took(d.chosen(), c.getRvu());
            AssignmentLog.decision(s, c, AssignmentRecord.ASSIGNED, actor, d, null,
                    d.displacedCase() == null ? null : "critical: preempted case " + d.displacedCase(), now);
            onCall.stop(s, c, "assigned to " + d.chosen(), actor, now);
            LOG.info("Case {} ({} {}) assigned to {} with score {}", c.getId(), c.getUrgency(), c.getSubspecialty(), d.chosen(), d.score());
            return true;
        }
    }

    /**
     * The decision for one case on this board; for a critical case that finds every qualified reader
     * full, what those readers could hand back is read (once) and the case decided again.
     */
    AssignmentEngine.Decision decide(Session s, ReaderBoard board, CaseNeeds needs, Instant now) {
        RoutingPolicy policy = roster.current().policy();
        AssignmentEngine.Decision d = engine.decide(needs, board.all(), now, policy);
        if (!d.assigned() && needs.isCritical()) {
            List<String> full = d.excluded().entrySet().stream().filter(e -> e.getValue().startsWith(AssignmentRules.FULL)).map(Map.Entry::getKey).toList();
            if (board.withDisplaceable(s, full)) d = engine.decide(needs, board.all(), now, policy);
        }
        return d;
    }

    private void displace(Session s, ReaderBoard board, ReadingCase critical, long caseId, Instant now, String actor) {
        ReadingCase displaced = s.find(ReadingCase.class, caseId);
        if (displaced == null || displaced.getState() != ReadingCase.State.ASSIGNED) {
            throw new StaleBoardException("case " + caseId + " to displace is no longer assigned and unopened");
        }
        String from = displaced.getRadiologistId();
        ReaderLoads.follow(s, displaced, now, () -> displaced.returnToQueue(now, false));
        board.gaveBack(from, displaced.getRvu());
        board.displaced(from);
        AssignmentLog.event(s, displaced, AssignmentRecord.PREEMPTED, null, from, actor,
                "handed back unopened to make room for critical case " + critical.getId(), now);
    }

    /** Takes a case off its reader's worklist and back into the shared queue. */
    void handBack(Session s, ReaderBoard board, ReadingCase c, String action, boolean passOver, Instant now, String actor, String why) {
        String from = c.getRadiologistId();
        ReaderLoads.follow(s, c, now, () -> c.returnToQueue(now, passOver));
        if (from != null) board.gaveBack(from, c.getRvu());
        AssignmentLog.event(s, c, action, null, from, actor, why, now);
    }

    CaseNeeds needs(Session s, ReadingCase c) {
        String jurisdiction = facilities.byId(c.getFacilityId()).map(f -> f.config().jurisdiction()).orElse(null);
        String provider = null;
        if (c.getOrderId() != null) {
            ImagingOrder o = s.find(ImagingOrder.class, c.getOrderId());
            if (o != null) provider = o.getOrderingProvider();
        }
        Set<String> priorReaders = new HashSet<>();
        if (c.getPatientId() != null) {
            priorReaders.addAll(s.createSelectionQuery("select distinct c.radiologistId from ReadingCase c where c.patientId = :p"
                            + " and c.id <> :id and c.state = :reported and c.radiologistId is not null", String.class)
                    .setParameter("p", c.getPatientId()).setParameter("id", c.getId())
                    .setParameter("reported", ReadingCase.State.REPORTED).list());
        }
        return new CaseNeeds(c.getId(), c.getFacilityId(), jurisdiction, c.getSubspecialty(), c.getUrgency(), c.getRvu(),
                c.getDeadline(), c.getQueuedAt(), provider, c.getPassedOver(), priorReaders);
    }
}
