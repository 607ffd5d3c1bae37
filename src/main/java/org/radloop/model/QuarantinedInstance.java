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
 * A received DICOM file that could not be indexed (unknown sender, unreadable header, missing UIDs),
 * kept on disk with the reason so that an analyst can fix the cause and retry it.
 */
@Entity
@Table(name = "quarantined_instance")
public class QuarantinedInstance {

    /** QUARANTINED: waiting for an analyst. RELEASED: a retry indexed it. */
    public enum State { QUARANTINED, RELEASED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "file_path", nullable = false)
    private String filePath;
    @Column(nullable = false)
    private String reason;
    @Column(name = "calling_ae_title")
    private String callingAeTitle;
    @Column(name = "remote_address")
    private String remoteAddress;
    @Column(name = "sop_instance_uid")
    private String sopInstanceUid;
    @Column(name = "facility_id")
    private String facilityId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "retry_count", nullable = false)
    private int retryCount;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "study_instance_uid")
    private String studyInstanceUid;
    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;
    @Column(name = "last_retry_at")
    private Instant lastRetryAt;

    protected QuarantinedInstance() {
    }

    public QuarantinedInstance(String filePath, String reason, String callingAeTitle, String remoteAddress,
                               String sopInstanceUid, Instant receivedAt) {
        this.filePath = fit(filePath, 1000);
        this.reason = cut(reason);
        // What a refused sender claimed may not fit a well-formed column: keep what fits.
        this.callingAeTitle = fit(callingAeTitle, 16);
        this.remoteAddress = fit(remoteAddress, 100);
        this.sopInstanceUid = fit(sopInstanceUid, 64);
        this.state = State.QUARANTINED;
        this.receivedAt = receivedAt;
    }

    public Long getId() { return id; }
    public String getFilePath() { return filePath; }
    public String getReason() { return reason; }
    public String getCallingAeTitle() { return callingAeTitle; }
    public String getRemoteAddress() { return remoteAddress; }
    public String getSopInstanceUid() { return sopInstanceUid; }
    public String getFacilityId() { return facilityId; }
    public State getState() { return state; }
    public int getRetryCount() { return retryCount; }
    public String getLastError() { return lastError; }
    public String getStudyInstanceUid() { return studyInstanceUid; }
    public Instant getReceivedAt() { return receivedAt; }
    public Instant getLastRetryAt() { return lastRetryAt; }

    public void retryFailed(String error, Instant at) {
        retryCount++;
        lastError = cut(error);
        lastRetryAt = at;
    }

    public void released(String facilityId, String studyInstanceUid, Instant at) {
        retryCount++;
        lastError = null;
        lastRetryAt = at;
        this.facilityId = facilityId;
        this.studyInstanceUid = studyInstanceUid;
        state = State.RELEASED;
    }

    private static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }
}
