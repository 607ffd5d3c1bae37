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
 * The quality check of one signed version of a report: verdict, issues (JSON), the critical findings
 * found, and what became of it (approved, blocked, overridden with who and why). One per version, so
 * a redelivered QC message finds it and does nothing new.
 */
@Entity
@Table(name = "qc_result")
public class QcResultRecord {

    /** APPROVED: sent to delivery. BLOCKED: back on the radiologist's worklist. OVERRIDDEN: released by a person. */
    public enum State { APPROVED, BLOCKED, OVERRIDDEN }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "report_id", nullable = false)
    private Long reportId;
    @Column(name = "report_version", nullable = false)
    private int reportVersion;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(nullable = false)
    private String verdict;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(nullable = false)
    private String issues;
    @Column(name = "critical_findings", nullable = false)
    private String criticalFindings;
    @Column(name = "override_by")
    private String overrideBy;
    @Column(name = "override_reason")
    private String overrideReason;
    @Column(name = "overridden_at")
    private Instant overriddenAt;
    @Column(name = "checked_at", nullable = false)
    private Instant checkedAt;

    protected QcResultRecord() {
    }

    public QcResultRecord(Long reportId, int reportVersion, String facilityId, String verdict, State state,
                          String issuesJson, String criticalFindingsJson, Instant checkedAt) {
        this.reportId = reportId;
        this.reportVersion = reportVersion;
        this.facilityId = facilityId;
        this.verdict = verdict;
        this.state = state;
        this.issues = issuesJson;
        this.criticalFindings = criticalFindingsJson;
        this.checkedAt = checkedAt;
    }

    public void overridden(String by, String reason, Instant now) {
        this.state = State.OVERRIDDEN;
        this.overrideBy = by.length() <= 200 ? by : by.substring(0, 200);
        this.overrideReason = reason.length() <= 2000 ? reason : reason.substring(0, 2000);
        this.overriddenAt = now;
    }

    /** Whether this version may be delivered. */
    public boolean isReleased() {
        return state == State.APPROVED || state == State.OVERRIDDEN;
    }

    public Long getId() { return id; }
    public Long getReportId() { return reportId; }
    public int getReportVersion() { return reportVersion; }
    public String getFacilityId() { return facilityId; }
    public String getVerdict() { return verdict; }
    public State getState() { return state; }
    public String getIssues() { return issues; }
    public String getCriticalFindings() { return criticalFindings; }
    public String getOverrideBy() { return overrideBy; }
    public String getOverrideReason() { return overrideReason; }
    public Instant getOverriddenAt() { return overriddenAt; }
    public Instant getCheckedAt() { return checkedAt; }
}
