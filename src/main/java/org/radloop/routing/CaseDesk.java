package org.radloop.routing;

import java.time.Instant;
import java.util.Locale;
import org.hibernate.Session;
import org.radloop.config.RadiologistConfig;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.AuditEvent;
import org.radloop.model.ReaderAvailability;
import org.radloop.model.ReaderLoads;
import org.radloop.model.ReadingCase;
import org.radloop.model.Refusal;

/**
 * What people do to cases and to their own availability (the API calls it): claim, release, an
 * administrator's reassign, opening a case, starting and stopping a shift, stepping away. Each goes
 * through the router's decision lock and records why; a claim or reassign also stops the case's
 * on-call chain. Two nodes claiming one case: the case's version lets only the first through.
 */
public final class CaseDesk {

    private final CaseRouter router;

    public CaseDesk(CaseRouter router) {
        this.router = router;
    }

    /** A radiologist takes a case (from the shared queue, or an unopened one from a colleague) and opens it. */
    public ReadingCase claim(long caseId, String radiologistId) {
        return router.locked(s -> {
            Instant now = router.clock().instant();
            RadiologistConfig r = reader(radiologistId);
            ReadingCase c = find(s, caseId);
            if (c.getState() == ReadingCase.State.REPORTED) throw conflict("case " + caseId + " is already reported");
            if (c.getState() == ReadingCase.State.OPENED && !radiologistId.equals(c.getRadiologistId())) {
                throw conflict("case " + caseId + " is open with " + c.getRadiologistId());
            }
            String bar = legalBar(s, r, c);
            if (bar != null) throw conflict(radiologistId + " cannot read case " + caseId + ": " + bar);
            String from = c.getRadiologistId();
            if (!radiologistId.equals(from)) {
                ReaderLoads.follow(s, c, now, () -> c.assign(radiologistId, now));
                AssignmentLog.event(s, c, AssignmentRecord.CLAIMED, radiologistId, from, "radiologist:" + radiologistId,
                        from == null ? "claimed from the shared queue" : "claimed from " + from + "'s worklist (unopened)", now);
                router.assigner().onCall().stop(s, c, "claimed by " + radiologistId, "radiologist:" + radiologistId, now);
            }
            c.open(now);
            return c;
        });
    }

    /** The assigned radiologist gives a case back; it goes to someone else (not back to them). */
    public ReadingCase release(long caseId, String radiologistId, String reason) {
        return router.locked(s -> {
            Instant now = router.clock().instant();
            reader(radiologistId);
            ReadingCase c = find(s, caseId);
            if (!c.isOpen() || !radiologistId.equals(c.getRadiologistId())) {
                throw conflict("case " + caseId + " is not on " + radiologistId + "'s worklist");
            }
            ReaderBoard board = router.assigner().board(s, now);
            router.assigner().handBack(s, board, c, AssignmentRecord.RELEASED, true, now, "radiologist:" + radiologistId,
                    reason == null ? "released" : "released: " + reason);
            router.assigner().tryAssign(s, board, c, now, CaseRouter.ACTOR, true);
            return c;
        });
    }

    /**
     * An administrator moves a case: to a named radiologist (who must be privileged, licensed and free
     * of conflict; shift and capacity are the administrator's call), or, without one, to whoever the
     * engine chooses next.
     */
    public ReadingCase reassign(long caseId, String to, String admin, String reason) {
        if (admin == null || admin.isBlank()) throw new Refusal(Refusal.Kind.BAD_REQUEST, "'by' (the administrator) is required");
        return router.locked(s -> {
            Instant now = router.clock().instant();
            ReadingCase c = find(s, caseId);
            if (c.getState() == ReadingCase.State.REPORTED) throw conflict("case " + caseId + " is already reported");
            String actor = "admin:" + admin;
            String why = reason == null || reason.isBlank() ? "reassigned by " + admin : reason;
            if (to == null || to.isBlank()) {
                ReaderBoard board = router.assigner().board(s, now);
                if (c.isOpen()) router.assigner().handBack(s, board, c, AssignmentRecord.ADMIN_REASSIGNED, true, now, actor, why);
                router.assigner().tryAssign(s, board, c, now, CaseRouter.ACTOR, true);
                return c;
            }
            RadiologistConfig r = reader(to);
            String bar = legalBar(s, r, c);
            if (bar != null) throw conflict(to + " cannot read case " + caseId + ": " + bar);
            String from = c.getRadiologistId();
            ReaderLoads.follow(s, c, now, () -> c.assign(to, now));
            AssignmentLog.event(s, c, AssignmentRecord.ADMIN_REASSIGNED, to, from, actor, why, now);
            router.assigner().onCall().stop(s, c, "reassigned to " + to + " by " + admin, actor, now);
            return c;
        });
    }

    /** The assigned radiologist opened the case (its draft): the unopened-case timer stops. */
    public void opened(long caseId, String radiologistId) {
        router.locked(s -> {
            ReadingCase c = find(s, caseId);
            if (c.getState() == ReadingCase.State.ASSIGNED && radiologistId.equals(c.getRadiologistId())) {
                c.open(router.clock().instant());
                s.persist(new AuditEvent("radiologist:" + radiologistId, "case.opened", "case", caseId, null));
            }
            return 0L;
        });
    }

    /**
     * start-shift, stop-shift, away, back (to the weekly schedule). Stopping or going away hands back
     * every unopened case at once; starting offers the shared queue at once.
     */
    public ReaderAvailability availability(String radiologistId, String action, String by, String note) {
        reader(radiologistId);
        ReaderAvailability.Status status = switch (action == null ? "" : action.toLowerCase(Locale.ROOT)) {
            case "start-shift" -> ReaderAvailability.Status.ON_SHIFT;
            case "stop-shift" -> ReaderAvailability.Status.OFF_SHIFT;
            case "away" -> ReaderAvailability.Status.AWAY;
            case "back", "scheduled" -> ReaderAvailability.Status.SCHEDULED;
            default -> throw new Refusal(Refusal.Kind.BAD_REQUEST,
                    "'action' must be start-shift, stop-shift, away or back, not '" + action + "'");
        };
        String actor = by == null || by.isBlank() ? "radiologist:" + radiologistId : by;
        return router.locked(s -> {
            Instant now = router.clock().instant();
            ReaderAvailability a = s.find(ReaderAvailability.class, radiologistId);
            if (a == null) {
                a = new ReaderAvailability(radiologistId, status, now, actor, note);
                s.persist(a);
            } else {
                a.set(status, now, actor, note);
            }
            s.persist(new AuditEvent(actor, "radiologist." + action.toLowerCase(Locale.ROOT), "radiologist", radiologistId, note));
            s.flush();
            ReaderBoard board = router.assigner().board(s, now);
            ReaderState state = board.get(radiologistId);
            if (!state.onShift()) {
                for (ReadingCase c : s.createSelectionQuery("from ReadingCase where radiologistId = :r and state = :st", ReadingCase.class)
                        .setParameter("r", radiologistId).setParameter("st", ReadingCase.State.ASSIGNED).list()) {
                    router.assigner().handBack(s, board, c, AssignmentRecord.SHIFT_ENDED, false, now, actor,
                            "unread when " + radiologistId + " went " + action + ": " + state.offShiftReason());
                    router.assigner().tryAssign(s, board, c, now, CaseRouter.ACTOR, true);
                }
            }
            router.offerWaiting(s, board, now);
            return a;
        });
    }

    /** The constraints no one may override: privileges, licence and listed conflicts. */
    private String legalBar(Session s, RadiologistConfig r, ReadingCase c) {
        CaseNeeds needs = router.assigner().needs(s, c);
        if (!r.privileges().contains(c.getFacilityId())) return "no privileges at " + c.getFacilityId();
        if (needs.jurisdiction() != null && !r.licences().contains(needs.jurisdiction())) return "not licensed in " + needs.jurisdiction();
        return r.conflictWith(c.getFacilityId(), needs.orderingProvider());
    }

    private RadiologistConfig reader(String id) {
        if (id == null || id.isBlank()) throw new Refusal(Refusal.Kind.BAD_REQUEST, "'radiologist' is required");
        return router.assigner().roster().byId(id)
                .orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "no radiologist '" + id + "' in the roster"));
    }

    private static ReadingCase find(Session s, long caseId) {
        ReadingCase c = s.find(ReadingCase.class, caseId);
        if (c == null) throw new Refusal(Refusal.Kind.NOT_FOUND, "no case " + caseId);
        return c;
    }

    private static Refusal conflict(String why) {
        return new Refusal(Refusal.Kind.CONFLICT, why);
    }
}
