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
 * The search for a study's priors on its facility's PACS: created with the study (same
 * transaction), run by the prior-fetch route, retried with backoff until it succeeds or its
 * attempts are used up.
 */
@Entity
@Table(name = "prior_search")
public class PriorSearch {

    /** PENDING: due at {@code nextAttemptAt}. DONE: searched and every chosen prior retrieved. FAILED: attempts used up. */
    public enum State { PENDING, DONE, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_id", nullable = false)
    private Long studyId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Embedded
    private RetrySchedule retry;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "done_at")
    private Instant doneAt;

    protected PriorSearch() {
    }

    public PriorSearch(String facilityId, Long studyId, Instant dueAt) {
        this.facilityId = facilityId;
        this.studyId = studyId;
        this.state = State.PENDING;
        this.retry = new RetrySchedule(dueAt);
        this.createdAt = dueAt;
        this.updatedAt = dueAt;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public Long getStudyId() { return studyId; }
    public State getState() { return state; }
    public int getAttempts() { return retry.getAttempts(); }
    public Instant getNextAttemptAt() { return retry.getNextAttemptAt(); }
    public String getLastError() { return retry.getLastError(); }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getDoneAt() { return doneAt; }

    /**
     * An attempt begins. It holds the search until {@code leaseUntil}: another node sweeping meanwhile
     * leaves it alone, and a process that dies mid-search has it run again after that.
     */
    public void started(Instant now, Instant leaseUntil) {
        retry.started();
        retry.dueAt(leaseUntil);
        updatedAt = now;
    }

    public void done(Instant now) {
        state = State.DONE;
        doneAt = now;
        retry.succeeded();
        updatedAt = now;
    }

    /** A failed attempt: due again at {@code retryAt}, or FAILED when that is null. */
    public void attemptFailed(String error, Instant now, Instant retryAt) {
        state = retryAt == null ? State.FAILED : State.PENDING;
        retry.failed(error, retryAt);
        updatedAt = now;
    }

    public void requeue(Instant now) {
        state = State.PENDING;
        retry.restart(now);
        updatedAt = now;
    }
}
