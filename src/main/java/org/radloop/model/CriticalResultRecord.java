package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One critical finding of a signed report and where its communication stands: which step of the
 * facility's escalation chain was notified last, by when that step must acknowledge, and who
 * acknowledged it. Open until someone acknowledges; it is never closed by time alone.
 */
@Entity
@Table(name = "critical_result")
public class CriticalResultRecord {

    public enum State { OPEN, ACKNOWLEDGED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "report_id", nullable = false)
    private String reportId;
    @Column(name = "finding_key", nullable = false)
    private String findingKey;
    @Column(name = "accession_number")
    private String accessionNumber;
    @Column(name = "study_uid")
    private String studyUid;
    @Column(nullable = false)
    private int category;
    @Column(nullable = false)
    private String finding;
    @Column(name = "ordering_clinician")
    private String orderingClinician;
    @Column(name = "signing_radiologist")
    private String signingRadiologist;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(nullable = false)
    private int step;
    @Column(name = "step_role")
    private String stepRole;
    @Column(nullable = false)
    private int level;
    @Column(name = "step_deadline")
    private Instant stepDeadline;
    @Column(name = "opened_at", nullable = false)
    private Instant openedAt;
    @Column(name = "acknowledged_at")
    private Instant acknowledgedAt;
    @Column(name = "acknowledged_by")
    private String acknowledgedBy;
    @Column(name = "acknowledged_via")
    private String acknowledgedVia;
    @Column(name = "acknowledged_notification_id")
    private Long acknowledgedNotificationId;

    protected CriticalResultRecord() {
    }

    public CriticalResultRecord(String facilityId, String reportId, String findingKey, String accessionNumber,
                                String studyUid, int category, String finding, String orderingClinician,
                                String signingRadiologist, Instant openedAt) {
        this.facilityId = facilityId;
        this.reportId = reportId;
        this.findingKey = findingKey;
        this.accessionNumber = accessionNumber;
        this.studyUid = studyUid;
        this.category = category;
        this.finding = finding;
        this.orderingClinician = orderingClinician;
        this.signingRadiologist = signingRadiologist;
        this.state = State.OPEN;
        this.step = -1;
        this.level = 0;
        this.openedAt = openedAt;
    }

    /** The chain moved on: this step was notified (level counts every notification round). */
    public void notified(int step, String role, Instant deadline) {
        this.step = step;
        this.stepRole = role;
        this.level++;
        this.stepDeadline = deadline;
    }

    /** Nobody could be notified now; look again at {@code recheckAt}. */
    public void recheckAt(Instant at) {
        this.stepDeadline = at;
    }

    public void acknowledge(Instant at, String by, String via, Long notificationId) {
        this.state = State.ACKNOWLEDGED;
        this.acknowledgedAt = at;
        this.acknowledgedBy = by;
        this.acknowledgedVia = via;
        this.acknowledgedNotificationId = notificationId;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public String getReportId() { return reportId; }
    public String getFindingKey() { return findingKey; }
    public String getAccessionNumber() { return accessionNumber; }
    public String getStudyUid() { return studyUid; }
    public int getCategory() { return category; }
    public String getFinding() { return finding; }
    public String getOrderingClinician() { return orderingClinician; }
    public String getSigningRadiologist() { return signingRadiologist; }
    public State getState() { return state; }
    public int getStep() { return step; }
    public String getStepRole() { return stepRole; }
    public int getLevel() { return level; }
    public Instant getStepDeadline() { return stepDeadline; }
    public Instant getOpenedAt() { return openedAt; }
    public Instant getAcknowledgedAt() { return acknowledgedAt; }
    public String getAcknowledgedBy() { return acknowledgedBy; }
    public String getAcknowledgedVia() { return acknowledgedVia; }
    public Long getAcknowledgedNotificationId() { return acknowledgedNotificationId; }
}
