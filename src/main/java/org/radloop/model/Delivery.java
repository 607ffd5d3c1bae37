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
 * Getting one version of one report into one of the facility's systems (one configured delivery
 * channel). The idempotency key, report id | version | channel, is unique in the database: whatever
 * restarts or is redelivered finds this row and does not send a delivered report again.
 */
@Entity
@Table(name = "delivery")
public class Delivery {

    /**
     * PENDING: waiting for its first or next attempt ({@code nextAttemptAt}). SENT: handed to the
     * channel, answer not yet in (or the node stopped while waiting: it is then sent again, with the
     * same message identifiers, so the peer can recognise it). DELIVERED: the peer confirmed it (ACK
     * AA, HTTP 2xx, file written, mail accepted, C-STORE success). FAILED: the peer refused it for
     * good (AE/AR, 4xx, C-STORE failure); an alert was raised. DEAD: no answer after every retry; an
     * alert was raised. FAILED and DEAD wait for someone to fix the cause and resend.
     */
    public enum State { PENDING, SENT, DELIVERED, FAILED, DEAD }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "idempotency_key", nullable = false, unique = true)
    private String idempotencyKey;
    @Column(name = "report_id", nullable = false)
    private String reportId;
    @Column(name = "report_version", nullable = false)
    private int reportVersion;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(nullable = false)
    private String channel;
    @Column(name = "channel_type", nullable = false)
    private String channelType;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "resend_count", nullable = false)
    private int resendCount;
    @Column(name = "last_error")
    private String lastError;
    /** What the peer calls it: ACK control id, FHIR DiagnosticReport id, SOP Instance UID, file name, Message-ID. */
    @Column(name = "remote_reference")
    private String remoteReference;
    @Column(name = "message_record_id")
    private Long messageRecordId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;
    @Column(name = "last_attempt_at")
    private Instant lastAttemptAt;
    @Column(name = "delivered_at")
    private Instant deliveredAt;

    protected Delivery() {
    }

    public Delivery(String reportId, int reportVersion, String facilityId, String channel, String channelType, Instant now) {
        this.idempotencyKey = key(reportId, reportVersion, channel);
        this.reportId = reportId;
        this.reportVersion = reportVersion;
        this.facilityId = facilityId;
        this.channel = channel;
        this.channelType = channelType;
        this.state = State.PENDING;
        this.createdAt = now;
        this.updatedAt = now;
        this.nextAttemptAt = now;
    }

    /** The key the database keeps unique: one delivery per report version and channel. */
    public static String key(String reportId, int reportVersion, String channel) {
        return reportId + "|" + reportVersion + "|" + channel;
    }

    public void delivered(String reference, Instant now) {
        this.state = State.DELIVERED;
        this.remoteReference = reference;
        this.lastError = null;
        this.nextAttemptAt = null;
        this.deliveredAt = now;
        this.updatedAt = now;
    }

    public void failed(State finalState, String error, Instant now) {
        this.state = finalState;
        this.lastError = clip(error);
        this.nextAttemptAt = null;
        this.updatedAt = now;
    }

    public void retryAt(Instant when, String error, Instant now) {
        this.state = State.PENDING;
        this.lastError = clip(error);
        this.nextAttemptAt = when;
        this.updatedAt = now;
    }

    /** An analyst asked for it again: a fresh set of attempts, with new message identifiers. */
    public void resend(Instant now) {
        this.state = State.PENDING;
        this.attempts = 0;
        this.resendCount++;
        this.nextAttemptAt = now;
        this.updatedAt = now;
    }

    private static String clip(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }

    public Long getId() { return id; }
    public String getIdempotencyKey() { return idempotencyKey; }
    public String getReportId() { return reportId; }
    public int getReportVersion() { return reportVersion; }
    public String getFacilityId() { return facilityId; }
    public String getChannel() { return channel; }
    public String getChannelType() { return channelType; }
    public State getState() { return state; }
    public int getAttempts() { return attempts; }
    public int getResendCount() { return resendCount; }
    public String getLastError() { return lastError; }
    public String getRemoteReference() { return remoteReference; }
    public Long getMessageRecordId() { return messageRecordId; }
    public void setMessageRecordId(Long v) { this.messageRecordId = v; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getNextAttemptAt() { return nextAttemptAt; }
    public Instant getLastAttemptAt() { return lastAttemptAt; }
    public Instant getDeliveredAt() { return deliveredAt; }
}
