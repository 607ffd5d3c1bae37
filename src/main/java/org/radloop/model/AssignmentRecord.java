package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One assignment decision about a case and why it was made: who got it (or nobody), from whom, the
 * winner's score parts, the runners-up and the reason each other reader was excluded (JSON).
 */
@Entity
@Table(name = "assignment_decision")
public class AssignmentRecord {

    /** What was decided. The ones in {@link #TAKEN} put a case on someone's worklist. */
    public static final String ASSIGNED = "ASSIGNED";
    public static final String QUEUED = "QUEUED";
    public static final String ON_CALL_ALERT = "ON_CALL_ALERT";
    /** The on-call chain's later steps: a page went out or reached nobody, the next entry was paged,
     *  nobody was left, or the case was claimed/assigned and paging stopped. */
    public static final String ON_CALL_SENT = "ON_CALL_SENT";
    public static final String ON_CALL_FAILED = "ON_CALL_FAILED";
    public static final String ON_CALL_ESCALATED = "ON_CALL_ESCALATED";
    public static final String ON_CALL_EXHAUSTED = "ON_CALL_EXHAUSTED";
    public static final String ON_CALL_STOPPED = "ON_CALL_STOPPED";
    public static final String TIMED_OUT = "TIMED_OUT";
    public static final String SHIFT_ENDED = "SHIFT_ENDED";
    public static final String PREEMPTED = "PREEMPTED";
    public static final String CLAIMED = "CLAIMED";
    public static final String RELEASED = "RELEASED";
    public static final String ADMIN_REASSIGNED = "ADMIN_REASSIGNED";
    public static final java.util.Set<String> TAKEN = java.util.Set.of(ASSIGNED, CLAIMED, ADMIN_REASSIGNED);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "case_id", nullable = false)
    private Long caseId;
    @Column(nullable = false)
    private String action;
    @Column(name = "radiologist_id")
    private String radiologistId;
    @Column(name = "from_radiologist")
    private String fromRadiologist;
    @Column(nullable = false)
    private String actor;
    @Column(nullable = false)
    private double rvu;
    private Double score;
    @Column(nullable = false)
    private String reasons;
    @Column(name = "decided_at", nullable = false)
    private Instant decidedAt;

    protected AssignmentRecord() {
    }

    public AssignmentRecord(Long caseId, String action, String radiologistId, String fromRadiologist, String actor,
                            double rvu, Double score, String reasonsJson, Instant decidedAt) {
        this.caseId = caseId;
        this.action = action;
        this.radiologistId = radiologistId;
        this.fromRadiologist = fromRadiologist;
        this.actor = actor;
        this.rvu = rvu;
        this.score = score;
        this.reasons = reasonsJson;
        this.decidedAt = decidedAt;
    }

    public Long getId() { return id; }
    public Long getCaseId() { return caseId; }
    public String getAction() { return action; }
    public String getRadiologistId() { return radiologistId; }
    public String getFromRadiologist() { return fromRadiologist; }
    public String getActor() { return actor; }
    public double getRvu() { return rvu; }
    public Double getScore() { return score; }
    public String getReasons() { return reasons; }
    public Instant getDecidedAt() { return decidedAt; }
}
