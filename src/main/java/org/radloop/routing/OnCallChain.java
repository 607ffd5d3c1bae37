package org.radloop.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.radloop.config.RadiologistRoster;
import org.radloop.config.RoutingPolicy;
import org.radloop.delivery.OnCallPager;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.AuditEvent;
import org.radloop.model.ClaimedSend;
import org.radloop.model.OnCallPage;
import org.radloop.model.ReadingCase;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-call chain of a critical case that no radiologist qualifies for: page the first entry of
 * the roster's {@code policy.onCall}, page the next one when nobody has claimed the case within
 * {@code onCallAnswerWithinMinutes} (or at once when no channel could reach the one paged), and
 * stop as soon as the case is claimed or assigned. Every step is an assignment decision of the case
 * (ON_CALL_ALERT, ON_CALL_SENT, ON_CALL_FAILED, ON_CALL_ESCALATED, ON_CALL_EXHAUSTED, ON_CALL_STOPPED).
 *
 * <p>Pages are written in the routing transaction that decides them and sent after it commits
 * through {@link org.radloop.model.ClaimedSend}, as critical-result notifications are: claimed under
 * the row's lock, sent with no transaction open, recorded under the lock again. So two nodes never
 * send one page twice, and a page whose case was claimed meanwhile is cancelled instead of sent.
 */
final class OnCallChain {

    private static final Logger LOG = LoggerFactory.getLogger(OnCallChain.class);

    private final RadiologistRoster roster;
    private final Store store;
    private final Supplier<OnCallPager> pager;
    private final String claimUrlBase;
    private final java.time.Clock clock;
    /** Set when a transaction wrote pages: the router then sends them once it has committed. */
    private final java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param pager        the sender (delivery's channels); looked up on use, may give null (nothing
     *                     can be sent: every page is recorded as failed)
     * @param claimUrlBase RadLoop's public address, for the claim URL the page gives
     */
    OnCallChain(RadiologistRoster roster, Store store, Supplier<OnCallPager> pager, String claimUrlBase, java.time.Clock clock) {
        this.clock = clock;
        this.roster = roster;
        this.store = store;
        this.pager = pager;
        this.claimUrlBase = claimUrlBase;
    }

    /** Pages the first entry (the case just found nobody). */
    void start(Session s, ReadingCase c, AssignmentEngine.Decision d, Instant now, String actor) {
        RoutingPolicy policy = roster.current().policy();
        List<RoutingPolicy.OnCallContact> chain = policy.onCall();
        if (chain.isEmpty()) {
            c.alerted(now);
            c.onCallEnded(now);
            record(s, c, AssignmentRecord.ON_CALL_ALERT, actor, d, "no radiologist qualifies for critical case " + c.getId()
                    + "; no on-call chain is configured (policy.onCall), nobody is paged", now);
            LOG.warn("Critical case {} has no qualified reader and no on-call chain is configured", c.getId());
            return;
        }
        page(s, c, 0, chain, policy.onCallAnswerWithin(), now);
        record(s, c, AssignmentRecord.ON_CALL_ALERT, actor, d, "no radiologist qualifies for critical case " + c.getId() + " ("
                + c.getSubspecialty() + ", " + c.getFacilityId() + "); paging on-call 1 of " + chain.size() + ": " + chain.get(0).name()
                + ", to claim within " + policy.onCallAnswerWithin().toMinutes() + " min", now);
        LOG.warn("Critical case {} ({}, facility {}) has no qualified reader; paging on-call {}", c.getId(), c.getSubspecialty(),
                c.getFacilityId(), chain.get(0).name());
    }

    /** The case was claimed or assigned: no more pages; those not yet sent are cancelled. */
    void stop(Session s, ReadingCase c, String how, String actor, Instant now) {
        if (!c.onCallRunning()) return;
        c.onCallEnded(now);
        cancelPending(s, c.getId(), how + " before it was sent");
        AssignmentLog.event(s, c, AssignmentRecord.ON_CALL_STOPPED, c.getRadiologistId(), null, actor,
                "on-call chain stopped at on-call " + (c.getOnCallStep() + 1) + ": " + how, now);
    }

    /**
     * Escalates the cases whose paged entry has not claimed them in time (the sweep, under its lease),
     * and those whose last page reached nobody.
     */
    void escalateDue(Session s, Instant now, String actor) {
        for (ReadingCase c : s.createSelectionQuery("from ReadingCase where onCallDue <= :now order by jmsPriority desc, id", ReadingCase.class)
                .setParameter("now", now).list()) {
            escalate(s, c, now, actor, "did not claim it within " + roster.current().policy().onCallAnswerWithin().toMinutes() + " min");
        }
    }

    private void escalate(Session s, ReadingCase c, Instant now, String actor, String why) {
        if (c.getState() != ReadingCase.State.WAITING) {
            stop(s, c, c.getRadiologistId() == null ? "no longer waiting" : "with " + c.getRadiologistId(), actor, now);
            return;
        }
        RoutingPolicy policy = roster.current().policy();
        List<RoutingPolicy.OnCallContact> chain = policy.onCall();
        int step = c.getOnCallStep() == null ? -1 : c.getOnCallStep();
        String previous = step >= 0 && step < chain.size() ? chain.get(step).name() : "on-call " + (step + 1);
        cancelPending(s, c.getId(), "escalated before it was sent");
        if (step + 1 >= chain.size()) {
            c.onCallEnded(now);
            record(s, c, AssignmentRecord.ON_CALL_EXHAUSTED, actor, null, previous + " " + why + "; the on-call chain ("
                    + chain.size() + ") is exhausted, the case waits at the top of the shared queue", now);
            LOG.error("Critical case {}: nobody of the on-call chain claimed it", c.getId());
            return;
        }
        page(s, c, step + 1, chain, policy.onCallAnswerWithin(), now);
        record(s, c, AssignmentRecord.ON_CALL_ESCALATED, actor, null, previous + " " + why + "; paging on-call " + (step + 2)
                + " of " + chain.size() + ": " + chain.get(step + 1).name(), now);
    }

    /** Cancels the case's pages not sent yet (those a sender has claimed too: a failed send of one then stays cancelled). */
    private static void cancelPending(Session s, Long caseId, String why) {
        for (OnCallPage p : s.createSelectionQuery("from OnCallPage where caseId = :c and state = :p", OnCallPage.class)
                .setParameter("c", caseId).setParameter("p", OnCallPage.State.PENDING).list()) {
            p.cancel(why);
        }
    }

    private void page(Session s, ReadingCase c, int step, List<RoutingPolicy.OnCallContact> chain, Duration within, Instant now) {
        RoutingPolicy.OnCallContact who = chain.get(step);
        Instant due = now.plus(within);
        s.persist(new OnCallPage(c.getId(), step, who.name(), who.radiologist(), who.email(), who.pager(),
                who.channels().isEmpty() ? null : String.join(",", who.channels()), due, now));
        c.onCallPaged(step, due, now);
        written.set(true);
    }

    /** Whether pages were written since the last call (they may have rolled back: sending finds none then). */
    boolean takeWritten() {
        return written.getAndSet(false);
    }

    /**
     * Sends the pages still pending (after the transaction that wrote them committed); a step whose
     * pages all failed is escalated at once, since nobody can answer a page that never arrived.
     *
     * @param router runs that escalation under its decision lock, in a transaction of its own
     * @return how many pages were delivered
     */
    int sendPending(CaseRouter router) {
        Instant asOf = clock.instant();
        List<Long> due = store.fromTransaction(s -> s.createSelectionQuery("select id from OnCallPage where state = :p"
                        + " and (claimedUntil is null or claimedUntil <= :now) order by id", Long.class)
                .setParameter("p", OnCallPage.State.PENDING).setParameter("now", asOf).list());
        int delivered = 0;
        List<Long> unreached = new ArrayList<>();
        for (Long id : due) {
            // Sent outside any transaction, as critical-result notifications are: a slow mail
            // server or gateway must not hold the page's row, which a claim of the case needs.
            Boolean[] out = ClaimedSend.send(store, OnCallPage.class, id, this::claim, page -> {
                OnCallPager sender = pager.get();
                return sender == null ? new OnCallPager.Outcome(false, "no notification channels in this process") : sender.send(page);
            }, this::record, (pageId, e) -> LOG.warn("On-call page {} not sent in this pass: {}", pageId, e.getMessage()));
            if (out == null) continue;
            if (out[0]) delivered++;
            else unreached.add(id);
        }
        for (Long id : unreached) {
            router.locked(s -> {
                OnCallPage p = s.find(OnCallPage.class, id);
                ReadingCase c = s.find(ReadingCase.class, p.getCaseId());
                boolean others = !s.createSelectionQuery("select 1 from OnCallPage where caseId = :c and step = :st and state in (:ok)", Integer.class)
                        .setParameter("c", c.getId()).setParameter("st", p.getStep())
                        .setParameter("ok", List.of(OnCallPage.State.SENT, OnCallPage.State.PENDING)).setMaxResults(1).list().isEmpty();
                if (!others && c.onCallRunning() && c.getOnCallStep() != null && c.getOnCallStep() == p.getStep()) {
                    escalate(s, c, clock.instant(), CaseRouter.ACTOR, "could not be reached (" + p.getOutcome() + ")");
                }
                return 0L;
            });
        }
        // An escalation at once wrote the next step's pages: send them too (each round moves the chain on or ends it).
        return unreached.isEmpty() ? delivered : delivered + sendPending(router);
    }

    /** Checks the locked page is still wanted and takes it for sending; null when it is not to be sent. */
    private OnCallPager.Page claim(Session s, OnCallPage p) {
        if (p.getState() != OnCallPage.State.PENDING) return null;
        ReadingCase c = s.find(ReadingCase.class, p.getCaseId());
        Instant now = clock.instant();
        if (p.getClaimedUntil() != null && p.getClaimedUntil().isAfter(now)) return null;
        if (c.getState() != ReadingCase.State.WAITING || !c.onCallRunning() || c.getOnCallStep() != p.getStep()) {
            p.cancel("case " + c.getState().name().toLowerCase(java.util.Locale.ROOT)
                    + (c.getRadiologistId() == null ? "" : " with " + c.getRadiologistId()) + " before it was sent");
            return null;
        }
        p.claim(now.plus(ClaimedSend.IN_FLIGHT));
        List<RoutingPolicy.OnCallContact> chain = roster.current().policy().onCall();
        return new OnCallPager.Page(p.getId(), c.getId(), c.getFacilityId(), c.getAccessionNumber(),
                c.getProcedureId(), c.getSubspecialty(), p.getRecipient(), p.getEmail(), p.getPager(),
                p.getChannels() == null ? List.of() : List.of(p.getChannels().split(",")), p.getStep(),
                Math.max(chain.size(), p.getStep() + 1), p.getStep() > 0 && p.getStep() - 1 < chain.size()
                        ? chain.get(p.getStep() - 1).name() : null,
                roster.current().policy().onCallAnswerWithin(), p.getAnswerBy(),
                claimUrlBase + "/api/cases/" + c.getId() + "/claim");
    }

    /** Writes what the page's channels did. @return null when the page was stopped meanwhile and nothing arrived, else {delivered} */
    private Boolean[] record(Session s, OnCallPage p, OnCallPager.Outcome outcome) {
        ReadingCase c = s.find(ReadingCase.class, p.getCaseId());
        Instant now = clock.instant();
        if (!outcome.delivered() && p.getState() == OnCallPage.State.CANCELLED) return null; // claimed meanwhile
        if (outcome.delivered()) {
            p.sent(now, outcome.summary());
            AssignmentLog.event(s, c, AssignmentRecord.ON_CALL_SENT, p.getRadiologistId(), null, CaseRouter.ACTOR,
                    "on-call " + (p.getStep() + 1) + " " + p.getRecipient() + " paged: " + outcome.summary(), now);
        } else {
            p.failed(outcome.summary());
            AssignmentLog.event(s, c, AssignmentRecord.ON_CALL_FAILED, p.getRadiologistId(), null, CaseRouter.ACTOR,
                    "on-call " + (p.getStep() + 1) + " " + p.getRecipient() + " not reached: " + outcome.summary(), now);
            LOG.warn("On-call page {} of case {} to {} not delivered: {}", p.getId(), c.getId(), p.getRecipient(), outcome.summary());
        }
        return new Boolean[] {outcome.delivered()};
    }

    private static void record(Session s, ReadingCase c, String action, String actor, AssignmentEngine.Decision d, String note, Instant now) {
        if (d != null) AssignmentLog.decision(s, c, action, actor, d, null, note, now);
        else AssignmentLog.event(s, c, action, null, null, actor, note, now);
        s.persist(new AuditEvent(actor, "routing." + action.toLowerCase(java.util.Locale.ROOT).replace('_', '-'), "case", c.getId(), note));
    }
}
