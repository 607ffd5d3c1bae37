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
 * The report of one reading case. Its text lives in {@link ReportVersion}s: version 0 is the AI draft,
 * every save adds one, signing adds the final one and an addendum one more.
 */
@Entity
@Table(name = "report")
public class Report {

    /** DRAFT: not signed. SIGNED: final. AMENDED: signed, with at least one addendum. */
    public enum State { DRAFT, SIGNED, AMENDED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "case_id", nullable = false)
    private Long caseId;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(name = "accession_number")
    private String accessionNumber;
    @Column(name = "template_id", nullable = false)
    private String templateId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "current_version", nullable = false)
    private int currentVersion;
    @Column(name = "signed_version")
    private Integer signedVersion;
    @Column(name = "signed_by")
    private String signedBy;
    @Column(name = "signed_at")
    private Instant signedAt;
    @Column(name = "signed_via")
    private String signedVia;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Report() {
    }

    public Report(Long caseId, String facilityId, String studyUid, String accessionNumber, String templateId, Instant now) {
        this.caseId = caseId;
        this.facilityId = facilityId;
        this.studyUid = studyUid;
        this.accessionNumber = accessionNumber;
        this.templateId = templateId;
        this.state = State.DRAFT;
        this.currentVersion = 0;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** @return the number of the new version */
    public int nextVersion(Instant now) {
        currentVersion++;
        updatedAt = now;
        return currentVersion;
    }

    public void signed(int version, String signer, String via, Instant now) {
        state = State.SIGNED;
        signedVersion = version;
        signedBy = signer;
        signedVia = via;
        signedAt = now;
        updatedAt = now;
    }

    public void amended(Instant now) {
        state = State.AMENDED;
        updatedAt = now;
    }

    /**
     * QC blocked the signed version: the report is a draft again, so its radiologist can correct and
     * sign it (a new version). The signature of the blocked version stays recorded.
     */
    public void returnedByQc(Instant now) {
        state = State.DRAFT;
        updatedAt = now;
    }

    /** A blocked version released by an override: signed (or amended) again, as it was before QC. */
    public void releasedAfterQc(boolean addendum, Instant now) {
        state = addendum ? State.AMENDED : State.SIGNED;
        updatedAt = now;
    }

    public Long getId() { return id; }
    public Long getCaseId() { return caseId; }
    public String getFacilityId() { return facilityId; }
    public String getStudyUid() { return studyUid; }
    public String getAccessionNumber() { return accessionNumber; }
    public String getTemplateId() { return templateId; }
    public State getState() { return state; }
    public int getCurrentVersion() { return currentVersion; }
    public Integer getSignedVersion() { return signedVersion; }
    public String getSignedBy() { return signedBy; }
    public Instant getSignedAt() { return signedAt; }
    public String getSignedVia() { return signedVia; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
