package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A QC rule a radiologist overrode when signing a report, with their reason: what QC may be wrong about. */
@Entity
@Table(name = "qc_override")
public class QcOverride {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(name = "report_id", nullable = false)
    private String reportId;
    @Column(name = "rule_id", nullable = false)
    private String ruleId;
    @Column(nullable = false)
    private String reason;
    @Column(nullable = false)
    private String radiologist;
    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    protected QcOverride() {
    }

    public QcOverride(String facilityId, String studyUid, String reportId, String ruleId, String reason, String radiologist,
                      Instant recordedAt) {
        this.facilityId = facilityId;
        this.studyUid = studyUid;
        this.reportId = reportId;
        this.ruleId = ruleId;
        this.reason = reason;
        this.radiologist = radiologist;
        this.recordedAt = recordedAt;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public String getStudyUid() { return studyUid; }
    public String getReportId() { return reportId; }
    public String getRuleId() { return ruleId; }
    public String getReason() { return reason; }
    public String getRadiologist() { return radiologist; }
    public Instant getRecordedAt() { return recordedAt; }
}
