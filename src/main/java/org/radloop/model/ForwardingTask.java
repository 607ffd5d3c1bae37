package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One received instance version that RadLoop owes the facility's PACS. Created with the instance's
 * index row (same transaction), so nothing acknowledged to a modality can miss its forwarding.
 */
@Entity
@Table(name = "forwarding_task")
public class ForwardingTask {

    /**
     * PENDING: waits for its next attempt. SENDING: claimed by a transfer until {@code claimedUntil}
     * (a crash leaves it due again after that). SENT: the PACS answered success. FAILED: every
     * attempt failed; waits for a retry through the API.
     */
    public enum State { PENDING, SENDING, SENT, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_id", nullable = false)
    private Long studyId;
    @Column(name = "instance_id", nullable = false)
    private Long instanceId;
    @Column(name = "sop_instance_uid", nullable = false)
    private String sopInstanceUid;
    @Column(name = "transfer_syntax_uid")
    private String transferSyntaxUid;
    @Column(name = "file_path", nullable = false)
    private String filePath;
    @Column(nullable = false)
    private String destination;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Embedded
    private RetrySchedule retry;
    @Column(name = "claimed_until")
    private Instant claimedUntil;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "sent_at")
    private Instant sentAt;

    protected ForwardingTask() {
    }

    public ForwardingTask(String facilityId, Long studyId, Instance instance, String destination, Instant now) {
        this.facilityId = facilityId;
        this.studyId = studyId;
        this.instanceId = instance.getId();
        this.sopInstanceUid = instance.getSopInstanceUid();
        this.transferSyntaxUid = instance.getTransferSyntaxUid();
        this.filePath = instance.getFilePath();
        this.destination = destination;
        this.state = State.PENDING;
        this.retry = new RetrySchedule(now);
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public Long getStudyId() { return studyId; }
    public Long getInstanceId() { return instanceId; }
    public String getSopInstanceUid() { return sopInstanceUid; }
    public String getTransferSyntaxUid() { return transferSyntaxUid; }
    public String getFilePath() { return filePath; }
    public String getDestination() { return destination; }
    public State getState() { return state; }
    public int getAttempts() { return retry.getAttempts(); }
    public Instant getNextAttemptAt() { return retry.getNextAttemptAt(); }
    public Instant getClaimedUntil() { return claimedUntil; }
    public String getLastError() { return retry.getLastError(); }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getSentAt() { return sentAt; }

    /** Taken by a transfer; if the process dies, the task is due again once {@code until} has passed. */
    public void claim(Instant now, Instant until) {
        state = State.SENDING;
        claimedUntil = until;
        retry.started();
        updatedAt = now;
    }

    public void sent(Instant now) {
        state = State.SENT;
        sentAt = now;
        claimedUntil = null;
        retry.succeeded();
        updatedAt = now;
    }

    /** A failed attempt: due again at {@code retryAt}, or FAILED when that is null (attempts used up). */
    public void attemptFailed(String error, Instant now, Instant retryAt) {
        state = retryAt == null ? State.FAILED : State.PENDING;
        retry.failed(error, retryAt);
        claimedUntil = null;
        updatedAt = now;
    }

    /** An analyst asked for it again: a fresh set of attempts, starting now. */
    public void requeue(Instant now) {
        state = State.PENDING;
        retry.restart(now);
        claimedUntil = null;
        updatedAt = now;
    }
}
