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
 * One page of the on-call chain about a critical case that no radiologist qualifies for: to whom
 * (an entry of the roster's {@code policy.onCall}), by which contact points, whether it went out,
 * and by when they are to claim the case before the next entry is paged.
 */
@Entity
@Table(name = "on_call_page")
public class OnCallPage {

    /** PENDING: to send. SENT: at least one channel accepted it. FAILED: no channel did.
     *  CANCELLED: the case was claimed or assigned before it was sent. */
    public enum State { PENDING, SENT, FAILED, CANCELLED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "case_id", nullable = false)
    private Long caseId;
    @Column(nullable = false)
    private int step;
    @Column(nullable = false)
    private String recipient;
    @Column(name = "radiologist_id")
    private String radiologistId;
    private String email;
    private String pager;
    private String channels;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "answer_by", nullable = false)
    private Instant answerBy;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "sent_at")
    private Instant sentAt;
    private String outcome;
    /** Taken by a sender until then; a sender that dies before recording leaves the page due again after it. */
    @Column(name = "claimed_until")
    private Instant claimedUntil;

    protected OnCallPage() {
    }

    public OnCallPage(Long caseId, int step, String recipient, String radiologistId, String email, String pager,
                      String channels, Instant answerBy, Instant createdAt) {
        this.caseId = caseId;
        this.step = step;
        this.recipient = recipient;
        this.radiologistId = radiologistId;
        this.email = email;
        this.pager = pager;
        this.channels = channels;
        this.answerBy = answerBy;
        this.createdAt = createdAt;
        this.state = State.PENDING;
    }

    /** Taken for sending until {@code until}: no other pass sends it meanwhile. */
    public void claim(Instant until) {
        this.claimedUntil = until;
    }

    public void sent(Instant at, String outcome) {
        this.attempts++;
        this.state = State.SENT;
        this.sentAt = at;
        this.outcome = cut(outcome);
    }

    public void failed(String outcome) {
        this.attempts++;
        this.state = State.FAILED;
        this.outcome = cut(outcome);
    }

    public void cancel(String why) {
        this.state = State.CANCELLED;
        this.outcome = cut(why);
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }

    public Long getId() { return id; }
    public Long getCaseId() { return caseId; }
    public int getStep() { return step; }
    public String getRecipient() { return recipient; }
    public String getRadiologistId() { return radiologistId; }
    public String getEmail() { return email; }
    public String getPager() { return pager; }
    public String getChannels() { return channels; }
    public State getState() { return state; }
    public int getAttempts() { return attempts; }
    public Instant getAnswerBy() { return answerBy; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getSentAt() { return sentAt; }
    public Instant getClaimedUntil() { return claimedUntil; }
    public String getOutcome() { return outcome; }
}
