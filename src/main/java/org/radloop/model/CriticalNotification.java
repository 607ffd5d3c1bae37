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
 * One notification of a critical result: to whom (a clinician of the facility's directory), by which
 * channel and address, whether it was delivered, and its single-use acknowledgement link (only the
 * SHA-256 of the link's token is kept, set when the message is sent).
 */
@Entity
@Table(name = "critical_notification")
public class CriticalNotification {

    /** PENDING: to send; RETRY: a send failed, tried again later; SENT: the channel accepted it;
     *  FAILED: gave up after the last attempt; CANCELLED: acknowledged before it was sent. */
    public enum State { PENDING, RETRY, SENT, FAILED, CANCELLED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "critical_result_id", nullable = false)
    private Long criticalResultId;
    @Column(nullable = false)
    private int level;
    @Column(nullable = false)
    private int step;
    @Column(name = "step_role", nullable = false)
    private String stepRole;
    @Column(name = "recipient_id", nullable = false)
    private String recipientId;
    @Column(name = "recipient_name")
    private String recipientName;
    @Column(nullable = false)
    private String channel;
    @Column(nullable = false)
    private String address;
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "sent_at")
    private Instant sentAt;
    private String error;
    @Column(name = "used_at")
    private Instant usedAt;

    protected CriticalNotification() {
    }

    public CriticalNotification(Long criticalResultId, int level, int step, String stepRole, String recipientId,
                                String recipientName, String channel, String address, Instant createdAt) {
        this.criticalResultId = criticalResultId;
        this.level = level;
        this.step = step;
        this.stepRole = stepRole;
        this.recipientId = recipientId;
        this.recipientName = recipientName;
        this.channel = channel;
        this.address = address;
        this.createdAt = createdAt;
        this.state = State.PENDING;
        this.attempts = 0;
        this.nextAttemptAt = createdAt;
    }

    /** The link of the message about to be sent: a new token for each attempt, only its hash kept. */
    public void issueLink(String tokenHash, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.expiresAt = expiresAt;
    }

    /**
     * Taken by a sender until {@code until}: no other sweep picks it up while it is being sent. A
     * sender that dies before recording the outcome leaves it due again at {@code until}.
     */
    public void claim(Instant until) {
        this.nextAttemptAt = until;
    }

    public void sent(Instant at) {
        this.attempts++;
        this.state = State.SENT;
        this.sentAt = at;
        this.error = null;
        this.nextAttemptAt = null;
    }

    /** A failed attempt: tried again at {@code retryAt}, or given up when it is null. */
    public void failed(String why, Instant retryAt) {
        this.attempts++;
        this.error = why == null || why.length() <= 1000 ? why : why.substring(0, 997) + "...";
        this.state = retryAt == null ? State.FAILED : State.RETRY;
        this.nextAttemptAt = retryAt;
    }

    public void cancel() {
        this.state = State.CANCELLED;
        this.nextAttemptAt = null;
    }

    public void used(Instant at) {
        this.usedAt = at;
    }

    public Long getId() { return id; }
    public Long getCriticalResultId() { return criticalResultId; }
    public int getLevel() { return level; }
    public int getStep() { return step; }
    public String getStepRole() { return stepRole; }
    public String getRecipientId() { return recipientId; }
    public String getRecipientName() { return recipientName; }
    public String getChannel() { return channel; }
    public String getAddress() { return address; }
    public String getTokenHash() { return tokenHash; }
    public Instant getExpiresAt() { return expiresAt; }
    public State getState() { return state; }
    public int getAttempts() { return attempts; }
    public Instant getNextAttemptAt() { return nextAttemptAt; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getSentAt() { return sentAt; }
    public String getError() { return error; }
    public Instant getUsedAt() { return usedAt; }
}
