package org.radloop.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadiologistRoster;
import org.radloop.delivery.OnCallPager;
import org.radloop.model.DatabaseContention;
import org.radloop.model.AuditEvent;
import org.radloop.model.NodeLeases;
import org.radloop.model.ReaderLoads;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.ImagingOrder;
import org.radloop.model.ReadingCase;
import org.radloop.model.StageOutboxEntry;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.radloop.model.TriageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route stage: turns a triaged study into a reading case and gets it read. Reads
 * {@code radloop.route} (routes/routing.yaml), assigns at once when someone qualifies, and hands the
 * case to the report stage ({@code radloop.report}) for its draft.
 *
 * <p>Several nodes may share one database (PostgreSQL). Within a process every change to who has
 * which case goes through one lock; across nodes three things hold it together: a case's version is
 * checked whenever it is written (two nodes can never both assign or claim it), a reader's place is
 * taken by a conditional update of their {@code reader_load} row (no reader above capacity), and the
 * sweep runs only on the node holding the {@value #SWEEP_LEASE} lease ({@link NodeLeases}). A change
 * that lost such a race rolls back and is run again on fresh state.
 */
public final class CaseRouter {

    private static final Logger LOG = LoggerFactory.getLogger(CaseRouter.class);
    static final String ACTOR = "routing";
    /** The lease of the periodic sweep in {@code node_lease}. */
    public static final String SWEEP_LEASE = "routing-sweep";
    /** A change that lost a race with another node is run again this many times at most. */
    private static final int ATTEMPTS = 8;

    private final Store store;
    private final Clock clock;
    private final Assigner assigner;
    private final ProcedureCatalogue procedures;
    private final FacilityRegistry facilities;
    private final Consumer<List<StageOutboxEntry>> publisher;
    private final ReentrantLock decisions = new ReentrantLock();
    private final NodeLeases leases;
    private final Duration leaseTtl;
    private final Duration loadCheckEvery;
    private final ThreadLocal<Boolean> sendingPages = ThreadLocal.withInitial(() -> false);
    private volatile Instant loadsCheckedAt;

    /**
     * @param leases         this node's leases (the sweep runs only while this node holds {@value #SWEEP_LEASE})
     * @param leaseTtl       how long a sweep lease holds without renewal; another node takes over after it
     * @param pager          on-call pages go out through it (delivery's channels); may supply null
     * @param publicUrl      RadLoop's address as people reach it (the claim URL in on-call pages)
     * @param loadCheckEvery how often the sweep recounts readers' loads from the cases ({@link ReaderLoads#check})
     */
    public CaseRouter(Store store, Clock clock, RadiologistRoster roster, FacilityRegistry facilities,
                      ProcedureCatalogue procedures, Consumer<List<StageOutboxEntry>> publisher, NodeLeases leases,
                      Duration leaseTtl, Supplier<OnCallPager> pager, String publicUrl, Duration loadCheckEvery) {
        this.store = store;
        this.clock = clock;
        this.assigner = new Assigner(roster, facilities, new OnCallChain(roster, store, pager, publicUrl, clock));
        this.procedures = procedures;
        this.facilities = facilities;
        this.publisher = publisher;
        this.leases = leases;
        this.leaseTtl = leaseTtl;
        this.loadCheckEvery = loadCheckEvery;
    }

    /** A {@code study/triaged} message from radloop.route; any other kind or event is ignored (logged). */
    public void onStageMessage(String json) {
        StageMessage m = StageMessage.fromJson(json);
        if (!"study".equals(m.kind()) || !"triaged".equals(m.event())) {
            LOG.warn("Route stage ignores a {}/{} message", m.kind(), m.event());
            return;
        }
        route(m.id());
    }

    /**
     * Opens (or, on a new triage decision, updates) the case of a study and tries to assign it.
     * Idempotent: a redelivered message finds the case and changes nothing more than the first did.
     *
     * @return the case id
     */
    public long route(String studyUid) {
        return locked(s -> {
            Instant now = clock.instant();
            TriageRecord triage = s.createSelectionQuery("from TriageRecord t where t.studyUid = :u order by t.decidedAt desc, t.id desc",
                    TriageRecord.class).setParameter("u", studyUid).setMaxResults(1).uniqueResult();
            Study study = s.createSelectionQuery("from Study where studyInstanceUid = :u", Study.class).setParameter("u", studyUid).uniqueResult();
            if (triage == null && study == null) throw new IllegalArgumentException("no triage decision and no study for " + studyUid);
            ReadingCase c = s.createSelectionQuery("from ReadingCase where studyUid = :u", ReadingCase.class)
                    .setParameter("u", studyUid).uniqueResult();
            boolean created = c == null;
            if (created) {
                c = new ReadingCase(triage != null ? triage.getFacilityId() : study.getFacilityId(), studyUid, now);
            } else if (c.getState() == ReadingCase.State.REPORTED
                    || (c.getTriageId() != null && triage != null && c.getTriageId().equals(triage.getId()))) {
                return c.getId(); // reported already, or the same decision again (a redelivery)
            }
            describe(s, c, triage, study, now);
            if (created) s.persist(c);
            List<StageOutboxEntry> outbox = new ArrayList<>(1);
            if (c.getState() == ReadingCase.State.WAITING) {
                ReaderBoard board = assigner.board(s, now);
                assigner.tryAssign(s, board, c, now, ACTOR, true);
            }
            if (created) {
                StageOutboxEntry e = new StageOutboxEntry(Stage.REPORT.queue(), "case", c.getId(), c.getFacilityId(), "routed", c.getJmsPriority());
                s.persist(e);
                outbox.add(e);
            }
            pending.set(outbox);
            return c.getId();
        });
    }

    private final ThreadLocal<List<StageOutboxEntry>> pending = new ThreadLocal<>();

    private void describe(Session s, ReadingCase c, TriageRecord triage, Study study, Instant now) {
        ImagingOrder order = study == null || study.getOrderId() == null ? null : s.find(ImagingOrder.class, study.getOrderId());
        ProcedureCatalogue.Procedure proc = order == null ? null : procedures.byId(order.getProcedureId()).orElse(null);
        String subspecialty = proc != null ? proc.subspecialty()
                : order != null && order.getSubspecialty() != null ? order.getSubspecialty() : "general";
        double rvu = proc != null ? proc.rvu() : ProcedureCatalogue.DEFAULT_RVU;
        String urgency = triage != null ? triage.getUrgency() : order != null && order.getPriority() == ImagingOrder.Priority.STAT ? "URGENT" : "ROUTINE";
        int priority = triage != null ? triage.getJmsPriority() : order != null ? order.getPriority().jmsPriority() : 4;
        Instant deadline = triage != null ? triage.getDeadline() : now.plus(routineTurnaround(c.getFacilityId()));
        c.describe(study == null ? null : study.getId(), order == null ? null : order.getId(),
                study != null && study.getPatientId() != null ? study.getPatientId() : order == null ? null : order.getPatientId(),
                study != null && study.getAccessionNumber() != null ? study.getAccessionNumber() : order == null ? null : order.getAccessionNumber(),
                order == null ? null : order.getProcedureId(), subspecialty, rvu, urgency.toUpperCase(Locale.ROOT), priority, deadline,
                triage == null ? null : triage.getId(), now);
    }

    private Duration routineTurnaround(String facilityId) {
        return facilities.byId(facilityId).map(f -> f.config().turnaround()).map(FacilityConfig.Turnaround::routineMinutes)
                .map(m -> Duration.ofMinutes(m)).orElse(Duration.ofHours(24));
    }

    /**
     * The periodic pass (routes/routing.yaml): cases not opened in time go to the next reader, readers
     * whose shift has ended hand back what they have not opened, the on-call chains that nobody
     * answered go to their next entry, and waiting cases are offered again, most urgent and earliest
     * deadline first. Only on the node holding the sweep lease (renewed by every pass).
     *
     * @return whether this node swept (false: another node holds the lease)
     */
    public boolean sweep() {
        if (!leases.hold(SWEEP_LEASE, leaseTtl, clock.instant())) {
            LOG.debug("Routing sweep skipped: {} does not hold the lease", leases.holder());
            return false;
        }
        locked(s -> {
            Instant now = clock.instant();
            ReaderBoard board = assigner.board(s, now);
            var policy = assigner.roster().current().policy();
            List<ReadingCase> assigned = s.createSelectionQuery("from ReadingCase where state = :st order by jmsPriority desc, deadline",
                    ReadingCase.class).setParameter("st", ReadingCase.State.ASSIGNED).list();
            for (ReadingCase c : assigned) {
                ReaderState reader = board.get(c.getRadiologistId());
                Duration limit = policy.openWithin(c.getUrgency());
                if (!c.getAssignedAt().plus(limit).isAfter(now)) {
                    assigner.handBack(s, board, c, AssignmentRecord.TIMED_OUT, true, now, ACTOR,
                            "not opened within " + limit.toMinutes() + " min (" + c.getUrgency() + ")");
                    assigner.tryAssign(s, board, c, now, ACTOR, true);
                } else if (reader == null || !reader.onShift()) {
                    assigner.handBack(s, board, c, AssignmentRecord.SHIFT_ENDED, false, now, ACTOR,
                            reader == null ? "reader no longer in the roster" : "unread at the end of the shift: " + reader.offShiftReason());
                    assigner.tryAssign(s, board, c, now, ACTOR, true);
                }
            }
            offerWaiting(s, board, now);
            assigner.onCall().escalateDue(s, now, ACTOR);
            return 0L;
        });
        Instant now = clock.instant();
        if (loadsCheckedAt == null || !now.isBefore(loadsCheckedAt.plus(loadCheckEvery))) {
            loadsCheckedAt = now;
            List<String> drift = locked(s -> {
                List<String> d = ReaderLoads.check(s, true, now);
                if (!d.isEmpty()) s.persist(new AuditEvent(ACTOR, "routing.reader-load-repaired", "radiologist", null, String.join("; ", d)));
                return d;
            });
            if (!drift.isEmpty()) LOG.warn("Readers' open work differed from their cases and was recounted: {}", drift);
        }
        sendPages(); // also what a crash left unsent
        return true;
    }

    /** Recounts every reader's open work from the cases; the readers whose kept load differs (empty: all agree). */
    public List<String> checkReaderLoads() {
        return store.fromTransaction(s -> ReaderLoads.check(s, false, clock.instant()));
    }

    /** Gives the sweep lease up (the engine stopping), so another node sweeps without waiting for it to expire. */
    public void releaseLease() {
        leases.release(SWEEP_LEASE);
    }

    void offerWaiting(Session s, ReaderBoard board, Instant now) {
        for (ReadingCase c : s.createSelectionQuery("from ReadingCase where state = :st order by jmsPriority desc, deadline, id",
                ReadingCase.class).setParameter("st", ReadingCase.State.WAITING).list()) {
            assigner.tryAssign(s, board, c, now, ACTOR, false);
        }
    }

    /**
     * Runs one routing change under the decision lock and in one transaction, then publishes its
     * outbox and sends the on-call pages it wrote. A change that lost a race with another node (the
     * case's version moved, the reader was filled, a row was locked or inserted first) is run again.
     */
    <T> T locked(Function<Session, T> work) {
        T result;
        decisions.lock();
        try {
            // No pause between attempts: the decisions lock is held, and a sleep would stall every routing change of this node.
            result = DatabaseContention.retry(ATTEMPTS, CaseRouter::lostRace, () -> {
                pending.remove();
                return store.fromTransaction(work);
            }, (attempt, e) -> LOG.info("Routing change lost a race with another node (attempt {}), running it again: {}",
                    attempt, e.getMessage()));
            List<StageOutboxEntry> out = pending.get();
            if (out != null && !out.isEmpty()) publisher.accept(out);
        } finally {
            pending.remove();
            decisions.unlock();
        }
        if (assigner.onCall().takeWritten()) sendPages();
        return result;
    }

    /** Sends the on-call pages waiting to go out (not from inside a send: an escalation there sends its own). */
    private void sendPages() {
        if (sendingPages.get()) return;
        sendingPages.set(true);
        try {
            assigner.onCall().sendPending(this);
        } finally {
            sendingPages.set(false);
        }
    }

    /** Whether a failed change failed because another node (or thread) changed the same rows first. */
    static boolean lostRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StaleBoardException) return true;
        }
        // a lock held elsewhere is the same story on this path: the other node is assigning that case
        return DatabaseContention.isTransient(e);
    }

    Assigner assigner() {
        return assigner;
    }

    Clock clock() {
        return clock;
    }
}
