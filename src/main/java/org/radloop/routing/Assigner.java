package org.radloop.routing;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.hibernate.Session;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadiologistRoster;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.AuditEvent;
import org.radloop.model.ImagingOrder;
import org.radloop.model.ReadingCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies assignment decisions to cases inside a transaction: gives a waiting case to the reader the
 * {@link AssignmentEngine} chooses (displacing work for a critical one when it must), puts a case back
 * in the shared queue, and alerts the on-call chain when a critical case finds nobody.
 */
final class Assigner {

    private static final Logger LOG = LoggerFactory.getLogger(Assigner.class);

    private final RadiologistRoster roster;
    private final FacilityRegistry facilities;
    private final AssignmentEngine engine = new AssignmentEngine();

    Assigner(RadiologistRoster roster, FacilityRegistry facilities) {
        this.roster = roster;
        this.facilities = facilities;
    }

    RadiologistRoster roster() {
        return roster;
    }

    ReaderBoard board(Session s, Instant now) {
        return ReaderBoard.read(s, roster.current(), now);
    }

    /**
     * Tries to give a waiting case to a reader.
     *
     * @param recordQueued whether a "nobody qualifies" outcome is recorded (yes when the case just
     *                     arrived or came back; not on every periodic retry)
     * @return whether it was assigned
     */
    boolean tryAssign(Session s, ReaderBoard board, ReadingCase c, Instant now, String actor, boolean recordQueued) {
        if (c.getState() != ReadingCase.State.WAITING) return false;
        CaseNeeds needs = needs(s, c);
        AssignmentEngine.Decision d = engine.decide(needs, board.all(), now, roster.current().policy());
        if (!d.assigned()) {
            if (recordQueued) AssignmentLog.decision(s, c, AssignmentRecord.QUEUED, actor, d, null, "nobody qualifies now; waits in the shared queue", now);
            if (c.getUrgency().equals(CaseNeeds.CRITICAL) && c.getAlertedAt() == null) alertOnCall(s, c, d, now, actor);
            return false;
        }
        if (d.displacedCase() != null) {
            ReadingCase displaced = s.find(ReadingCase.class, d.displacedCase());
            if (displaced != null && displaced.getState() == ReadingCase.State.ASSIGNED) {
                String from = displaced.getRadiologistId();
                displaced.returnToQueue(now, false);
                board.gaveBack(from, displaced.getRvu());
                board.displaced(from);
                AssignmentLog.event(s, displaced, AssignmentRecord.PREEMPTED, null, from, actor,
                        "handed back unopened to make room for critical case " + c.getId(), now);
            }
        }
        c.assign(d.chosen(), now);
        board.took(d.chosen(), c.getRvu());
        AssignmentLog.decision(s, c, AssignmentRecord.ASSIGNED, actor, d, null,
                d.displacedCase() == null ? null : "critical: preempted case " + d.displacedCase(), now);
        LOG.info("Case {} ({} {}) assigned to {} with score {}", c.getId(), c.getUrgency(), c.getSubspecialty(), d.chosen(), d.score());
        return true;
    }

    /** Takes a case off its reader's worklist and back into the shared queue. */
    void handBack(Session s, ReaderBoard board, ReadingCase c, String action, boolean passOver, Instant now, String actor, String why) {
        String from = c.getRadiologistId();
        c.returnToQueue(now, passOver);
        if (from != null) board.gaveBack(from, c.getRvu());
        AssignmentLog.event(s, c, action, null, from, actor, why, now);
    }

    private void alertOnCall(Session s, ReadingCase c, AssignmentEngine.Decision d, Instant now, String actor) {
        c.alerted(now);
        String chain = String.join(" -> ", roster.current().policy().onCall());
        String note = "no radiologist qualifies for critical case " + c.getId() + " (" + c.getSubspecialty() + ", "
                + c.getFacilityId() + "); on-call chain alerted: " + (chain.isEmpty() ? "(none configured)" : chain);
        AssignmentLog.decision(s, c, AssignmentRecord.ON_CALL_ALERT, actor, d, null, note, now);
        s.persist(new AuditEvent(actor, "routing.on-call-alert", "case", c.getId(), note));
        LOG.warn("Critical case {} ({}, facility {}) has no qualified reader; on-call chain alerted", c.getId(), c.getSubspecialty(), c.getFacilityId());
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
