package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A triaged study waiting to be read: what it needs (subspecialty, work in RVUs, urgency, deadline),
 * who has it, and since when. The study's own state stays the study stage's business; where the
 * reading stands is kept here.
 */
@Entity
@Table(name = "reading_case")
public class ReadingCase {

    /**
     * WAITING: in the shared queue, nobody has it. ASSIGNED: on a radiologist's worklist, not opened.
     * OPENED: the radiologist has opened it (claimed or opened the draft). REPORTED: signed.
     */
    public enum State { WAITING, ASSIGNED, OPENED, REPORTED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(name = "study_id")
    private Long studyId;
    @Column(name = "order_id")
    private Long orderId;
    @Column(name = "patient_id")
    private Long patientId;
    @Column(name = "accession_number")
    private String accessionNumber;
    @Column(name = "procedure_id")
    private String procedureId;
    @Column(nullable = false)
    private String subspecialty;
    @Column(nullable = false)
    private double rvu;
    @Column(nullable = false)
    private String urgency;
    @Column(name = "jms_priority", nullable = false)
    private int jmsPriority;
    @Column(nullable = false)
    private Instant deadline;
    @Column(name = "triage_id")
    private Long triageId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "radiologist_id")
    private String radiologistId;
    @Column(name = "assigned_at")
    private Instant assignedAt;
    @Column(name = "opened_at")
    private Instant openedAt;
    @Column(name = "queued_at", nullable = false)
    private Instant queuedAt;
    @Column(name = "alerted_at")
    private Instant alertedAt;
    @Column(name = "assignment_count", nullable = false)
    private int assignmentCount;
    @Column(name = "passed_over")
    private String passedOver;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    /** Checked on every update: two nodes that read the same version cannot both change the case. */
    @Version
    @Column(nullable = false)
    private long version;
    @Column(name = "on_call_step")
    private Integer onCallStep;
    @Column(name = "on_call_due")
    private Instant onCallDue;

    protected ReadingCase() {
    }

    public ReadingCase(String facilityId, String studyUid, Instant now) {
        this.facilityId = facilityId;
        this.studyUid = studyUid;
        this.state = State.WAITING;
        this.queuedAt = now;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** What the case needs, from the study, its order and the latest triage decision. */
    public void describe(Long studyId, Long orderId, Long patientId, String accession, String procedureId,
                         String subspecialty, double rvu, String urgency, int jmsPriority, Instant deadline,
                         Long triageId, Instant now) {
        this.studyId = studyId;
        this.orderId = orderId;
        this.patientId = patientId;
        this.accessionNumber = accession;
        this.procedureId = procedureId;
        this.subspecialty = subspecialty;
        this.rvu = rvu;
        this.urgency = urgency;
        this.jmsPriority = jmsPriority;
        this.deadline = deadline;
        this.triageId = triageId;
        this.updatedAt = now;
    }

    public void assign(String radiologistId, Instant now) {
        this.state = State.ASSIGNED;
        this.radiologistId = radiologistId;
        this.assignedAt = now;
        this.openedAt = null;
        this.assignmentCount++;
        this.updatedAt = now;
    }

    public void open(Instant now) {
        this.state = State.OPENED;
        if (openedAt == null) openedAt = now;
        this.updatedAt = now;
    }

    /** Back to the shared queue; {@code passOver} also keeps it from being offered to that reader again. */
    public void returnToQueue(Instant now, boolean passOver) {
        if (passOver && radiologistId != null) {
            Set<String> set = getPassedOver();
            set.add(radiologistId);
            String csv = String.join(",", set);
            passedOver = csv.length() <= 1000 ? csv : csv.substring(csv.length() - 1000);
        }
        this.state = State.WAITING;
        this.radiologistId = null;
        this.assignedAt = null;
        this.openedAt = null;
        this.queuedAt = now;
        this.updatedAt = now;
    }

    public void reported(Instant now) {
        this.state = State.REPORTED;
        this.updatedAt = now;
    }

    /**
     * QC blocked the signed report: back on the same radiologist's worklist, opened (they know the
     * case), until they sign a corrected version or someone overrides the block.
     */
    public void returnedByQc(Instant now) {
        this.state = State.OPENED;
        if (openedAt == null) openedAt = now;
        this.updatedAt = now;
    }

    public void alerted(Instant now) {
        this.alertedAt = now;
        this.updatedAt = now;
    }

    /** The on-call chain reached {@code step} (0 = first entry); escalated at {@code due} unless claimed. */
    public void onCallPaged(int step, Instant due, Instant now) {
        if (alertedAt == null) alertedAt = now;
        this.onCallStep = step;
        this.onCallDue = due;
        this.updatedAt = now;
    }

    /** Somebody has it, or the chain has nobody left: no further escalation (the step stays recorded). */
    public void onCallEnded(Instant now) {
        this.onCallDue = null;
        this.updatedAt = now;
    }

    /** Whether a chain is running for this case (paged and not yet ended). */
    public boolean onCallRunning() {
        return onCallDue != null;
    }

    public Set<String> getPassedOver() {
        Set<String> set = new LinkedHashSet<>();
        if (passedOver != null && !passedOver.isBlank()) for (String s : passedOver.split(",")) set.add(s.trim());
        return set;
    }

    public boolean isOpen() {
        return state == State.ASSIGNED || state == State.OPENED;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public String getStudyUid() { return studyUid; }
    public Long getStudyId() { return studyId; }
    public Long getOrderId() { return orderId; }
    public Long getPatientId() { return patientId; }
    public String getAccessionNumber() { return accessionNumber; }
    public String getProcedureId() { return procedureId; }
    public String getSubspecialty() { return subspecialty; }
    public double getRvu() { return rvu; }
    public String getUrgency() { return urgency; }
    public int getJmsPriority() { return jmsPriority; }
    public Instant getDeadline() { return deadline; }
    public Long getTriageId() { return triageId; }
    public State getState() { return state; }
    public String getRadiologistId() { return radiologistId; }
    public Instant getAssignedAt() { return assignedAt; }
    public Instant getOpenedAt() { return openedAt; }
    public Instant getQueuedAt() { return queuedAt; }
    public Instant getAlertedAt() { return alertedAt; }
    public int getAssignmentCount() { return assignmentCount; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public long getVersion() { return version; }
    public Integer getOnCallStep() { return onCallStep; }
    public Instant getOnCallDue() { return onCallDue; }
}
