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
import org.hibernate.Session;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
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
 * <p>Every change to who has which case goes through one lock, so that two decisions never both
 * see the same reader under capacity. That holds within one process; several nodes sharing a
 * database would need the route consumer and the sweep on one node (Camel's clustered route policy).
 */
public final class CaseRouter {

    private static final Logger LOG = LoggerFactory.getLogger(CaseRouter.class);
    static final String ACTOR = "routing";

    private final Store store;
    private final Clock clock;
    private final Assigner assigner;
    private final ProcedureCatalogue procedures;
    private final FacilityRegistry facilities;
    private final Consumer<List<StageOutboxEntry>> publisher;
    private final ReentrantLock decisions = new ReentrantLock();

    public CaseRouter(Store store, Clock clock, org.radloop.config.RadiologistRoster roster, FacilityRegistry facilities,
                      ProcedureCatalogue procedures, Consumer<List<StageOutboxEntry>> publisher) {
        this.store = store;
        this.clock = clock;
        this.assigner = new Assigner(roster, facilities);
        this.procedures = procedures;
        this.facilities = facilities;
        this.publisher = publisher;
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
     * whose shift has ended hand back what they have not opened, and waiting cases are offered again,
     * most urgent and earliest deadline first.
     */
    public void sweep() {
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
            return 0L;
        });
    }

    void offerWaiting(Session s, ReaderBoard board, Instant now) {
        for (ReadingCase c : s.createSelectionQuery("from ReadingCase where state = :st order by jmsPriority desc, deadline, id",
                ReadingCase.class).setParameter("st", ReadingCase.State.WAITING).list()) {
            assigner.tryAssign(s, board, c, now, ACTOR, false);
        }
    }

    /** Runs one routing change under the decision lock and in one transaction, then publishes its outbox. */
    <T> T locked(Function<Session, T> work) {
        decisions.lock();
        try {
            pending.remove();
            T result = store.fromTransaction(work);
            List<StageOutboxEntry> out = pending.get();
            if (out != null && !out.isEmpty()) publisher.accept(out);
            return result;
        } finally {
            pending.remove();
            decisions.unlock();
        }
    }

    Assigner assigner() {
        return assigner;
    }

    Clock clock() {
        return clock;
    }
}
