package org.radloop.delivery;

import org.radloop.config.ConfiguredDuration;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;
import org.radloop.model.CriticalNotification;
import org.radloop.model.CriticalResultEvent;
import org.radloop.model.CriticalResultRecord;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks each open critical result along its facility's escalation chain: when the notified step has
 * not acknowledged by its deadline, or none of its notifications could be delivered, the next step
 * is notified; after the last step, the last reachable step is notified again at each of its
 * deadlines, until someone acknowledges. Run by {@code routes/critical-results.yaml} on a timer; time
 * comes from the engine's clock.
 *
 * <p>Each result moves in its own transaction with its row locked and the reason checked again, so
 * several nodes sweeping at once escalate a result once, and an acknowledgement that commits first
 * wins over a concurrent escalation.
 */
public final class CriticalResultEscalation {

    private static final Logger LOG = LoggerFactory.getLogger(CriticalResultEscalation.class);
    /** When nobody of the chain can be reached (no directory, no contact), look again this often. */
    static final Duration RECHECK = Duration.ofMinutes(5);
    private static final String ACTOR = "critical-results";

    private final Store store;
    private final CriticalResultsConfig config;
    private final CriticalNotificationSender sender;
    private final Clock clock;

    CriticalResultEscalation(Store store, CriticalResultsConfig config, CriticalNotificationSender sender, Clock clock) {
        this.store = store;
        this.config = config;
        this.sender = sender;
        this.clock = clock;
    }

    /** One pass: picks up changed configuration, escalates what is due, sends what is due. Returns escalations. */
    public int sweep() {
        config.reload();
        Instant now = clock.instant();
        List<Long> candidates = store.fromTransaction(s -> s.createQuery(
                        "select r.id from CriticalResultRecord r where r.state = :open and (r.stepDeadline is null"
                                + " or r.stepDeadline <= :now or (r.level > 0 and not exists (select n.id from CriticalNotification n"
                                + " where n.criticalResultId = r.id and n.level = r.level and n.state <> :failed)))", Long.class)
                .setParameter("open", CriticalResultRecord.State.OPEN)
                .setParameter("now", now)
                .setParameter("failed", CriticalNotification.State.FAILED)
                .list());
        int escalated = 0;
        for (Long id : candidates) {
            try {
                if (Boolean.TRUE.equals(store.fromTransaction(s -> {
                    CriticalResultRecord r = s.find(CriticalResultRecord.class, id, LockModeType.PESSIMISTIC_WRITE);
                    String why = r == null ? null : dueReason(s, r, now);
                    return why != null && advance(s, r, now, why);
                }))) escalated++;
            } catch (RuntimeException e) {
                LOG.error("Escalating critical result {} failed; the next sweep tries again", id, e);
            }
        }
        sender.sendDue(null);
        return escalated;
    }

    /** Why this open result must move on now, or null when it must not (checked under its row lock). */
    private String dueReason(Session s, CriticalResultRecord r, Instant now) {
        if (r.getState() != CriticalResultRecord.State.OPEN) return null;
        if (r.getStepDeadline() == null) return "not notified yet";
        if (!r.getStepDeadline().isAfter(now)) {
            return r.getLevel() == 0 ? "looking again for someone to notify" : "not acknowledged by the step's deadline";
        }
        if (r.getLevel() == 0) return null;
        List<CriticalNotification.State> states = s.createQuery(
                        "select state from CriticalNotification where criticalResultId = :r and level = :l", CriticalNotification.State.class)
                .setParameter("r", r.getId()).setParameter("l", r.getLevel()).list();
        boolean undeliverable = !states.isEmpty() && states.stream().allMatch(st -> st == CriticalNotification.State.FAILED);
        // A last step that cannot be reached is notified again at its deadline, not in a tight loop.
        if (undeliverable && nextReachable(r) != null) return "no notification of the step could be delivered";
        return null;
    }

    /**
     * Notifies the next step that has someone to notify. Returns true when a step was notified.
     * Steps whose person is unknown or unreachable are skipped, each with a timeline entry.
     */
    boolean advance(Session s, CriticalResultRecord r, Instant now, String why) {
        FacilityDirectory dir = config.directory(r.getFacilityId()).orElse(null);
        if (dir == null) {
            nobody(s, r, now, "no clinician directory for facility " + r.getFacilityId() + " (conf/directory/"
                    + r.getFacilityId() + ".yaml)");
            return false;
        }
        List<EscalationStep> chain = dir.chain();
        for (int i = r.getStep() + 1; i < chain.size(); i++) {
            EscalationStep step = chain.get(i);
            Clinician person = dir.recipient(step, r);
            List<String[]> contacts = person == null ? List.of() : person.contacts(dir.emailEnabled(), dir.smsEnabled());
            if (contacts.isEmpty()) {
                CriticalResultEvents.record(s, r.getId(), now, CriticalResultEvents.SKIPPED, i, ACTOR, step.role() + ": "
                        + (person == null ? "nobody in the directory for this step" : person.id() + " has no enabled channel"));
                continue;
            }
            notifyStep(s, r, dir, i, step, person, contacts, now,
                    r.getLevel() == 0 ? CriticalResultEvents.NOTIFIED : CriticalResultEvents.ESCALATED, why);
            return true;
        }
        Integer last = lastReachable(dir, r);
        if (last == null) {
            nobody(s, r, now, "nobody of the escalation chain has a contact on an enabled channel");
            return false;
        }
        EscalationStep step = chain.get(last);
        Clinician person = dir.recipient(step, r);
        notifyStep(s, r, dir, last, step, person, person.contacts(dir.emailEnabled(), dir.smsEnabled()), now,
                CriticalResultEvents.REPEATED, why + "; the chain is exhausted, so its last step is notified again");
        return true;
    }

    private void notifyStep(Session s, CriticalResultRecord r, FacilityDirectory dir, int index, EscalationStep step,
                            Clinician person, List<String[]> contacts, Instant now, String kind, String why) {
        Duration within = step.deadline(r.getCategory(), config.policy());
        r.notified(index, step.role(), now.plus(within));
        for (String[] c : contacts) {
            s.persist(new CriticalNotification(r.getId(), r.getLevel(), index, step.role(), person.id(), person.name(),
                    c[0], c[1], now));
        }
        CriticalResultEvents.record(s, r.getId(), now, kind, index, ACTOR, step.role() + " " + person.name() + " ("
                + person.id() + ") by " + String.join(" and ", contacts.stream().map(c -> c[0]).toList())
                + ", to acknowledge within " + ConfiguredDuration.describe(within) + "; " + why);
        LOG.info("Critical result {} (ACR {}): step {} ({}) notified", r.getId(), r.getCategory(), index + 1, step.role());
    }

    /** Nobody can be notified now: said once in the timeline, logged, and looked at again later. */
    private void nobody(Session s, CriticalResultRecord r, Instant now, String reason) {
        r.recheckAt(now.plus(RECHECK));
        CriticalResultEvent last = s.createQuery("from CriticalResultEvent where criticalResultId = :r order by id desc",
                CriticalResultEvent.class).setParameter("r", r.getId()).setMaxResults(1).uniqueResult();
        if (last == null || !CriticalResultEvents.NOBODY.equals(last.getKind()) || !reason.equals(last.getDetail())) {
            CriticalResultEvents.record(s, r.getId(), now, CriticalResultEvents.NOBODY, null, ACTOR, reason);
        }
        LOG.error("Critical result {} (ACR {}) of facility {} cannot be communicated: {}; looking again in {}",
                r.getId(), r.getCategory(), r.getFacilityId(), reason, ConfiguredDuration.describe(RECHECK));
    }

    private Integer nextReachable(CriticalResultRecord r) {
        FacilityDirectory dir = config.directory(r.getFacilityId()).orElse(null);
        if (dir == null) return null;
        for (int i = r.getStep() + 1; i < dir.chain().size(); i++) {
            Clinician p = dir.recipient(dir.chain().get(i), r);
            if (p != null && !p.contacts(dir.emailEnabled(), dir.smsEnabled()).isEmpty()) return i;
        }
        return null;
    }

    private static Integer lastReachable(FacilityDirectory dir, CriticalResultRecord r) {
        for (int i = dir.chain().size() - 1; i >= 0; i--) {
            Clinician p = dir.recipient(dir.chain().get(i), r);
            if (p != null && !p.contacts(dir.emailEnabled(), dir.smsEnabled()).isEmpty()) return i;
        }
        return null;
    }
}
