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
 * Every message that came in or went out, kept whole so that an analyst can search it, see why it
 * failed, and replay it once the cause is fixed.
 */
@Entity
@Table(name = "message_record")
public class MessageRecord {

    public enum Direction { IN, OUT }

    /**
     * ACCEPTED: applied and acknowledged. REJECTED: refused with an error (AE/AR), kept for replay.
     * REPLAYED: an earlier rejected message that a later replay accepted. DUPLICATE: the same control
     * id again; acknowledged, changed nothing. SENT / FAILED: outbound delivery states.
     */
    public enum State { ACCEPTED, REJECTED, REPLAYED, DUPLICATE, SENT, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Direction direction;
    @Column(nullable = false)
    private String channel;
    @Column(name = "facility_id")
    private String facilityId;
    @Column(name = "message_type")
    private String messageType;
    @Column(name = "control_id")
    private String controlId;
    @Column(name = "hl7_version")
    private String hl7Version;
    private String charset;
    @Column(name = "raw_payload", columnDefinition = "text")
    private String rawPayload;
    @Column(name = "size_bytes", nullable = false)
    private int sizeBytes;
    /** A short JSON description of what the message said (no free-text clinical content). */
    @Column(columnDefinition = "text")
    private String summary;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "ack_code")
    private String ackCode;
    @Column(name = "error_code")
    private String errorCode;
    @Column(name = "error_text")
    private String errorText;
    @Column(name = "error_location")
    private String errorLocation;
    /** facility|controlId for accepted inbound messages: the database enforces idempotency. */
    @Column(name = "dedup_key")
    private String dedupKey;
    @Column(name = "remote_address")
    private String remoteAddress;
    @Column(name = "order_id")
    private Long orderId;
    @Column(name = "patient_id")
    private Long patientId;
    @Column(name = "replay_of_id")
    private Long replayOfId;
    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;
    @Column(name = "processed_at")
    private Instant processedAt;

    protected MessageRecord() {
    }

    public MessageRecord(Direction direction, String channel, String rawPayload, int sizeBytes) {
        this.direction = direction;
        this.channel = channel;
        this.rawPayload = rawPayload;
        this.sizeBytes = sizeBytes;
        this.receivedAt = Instant.now();
        this.state = State.REJECTED;
    }

    public Long getId() { return id; }
    public Direction getDirection() { return direction; }
    public String getChannel() { return channel; }
    public String getFacilityId() { return facilityId; }
    public void setFacilityId(String v) { this.facilityId = v; }
    public String getMessageType() { return messageType; }
    public void setMessageType(String v) { this.messageType = v; }
    public String getControlId() { return controlId; }
    public void setControlId(String v) { this.controlId = v; }
    public String getHl7Version() { return hl7Version; }
    public void setHl7Version(String v) { this.hl7Version = v; }
    public String getCharset() { return charset; }
    public void setCharset(String v) { this.charset = v; }
    public String getRawPayload() { return rawPayload; }
    public int getSizeBytes() { return sizeBytes; }
    public String getSummary() { return summary; }
    public void setSummary(String v) { this.summary = v; }
    public State getState() { return state; }
    public void setState(State s) { this.state = s; }
    public String getAckCode() { return ackCode; }
    public void setAckCode(String v) { this.ackCode = v; }
    public String getErrorCode() { return errorCode; }
    public String getErrorText() { return errorText; }
    public String getErrorLocation() { return errorLocation; }
    public void setError(String code, String location, String text) {
        this.errorCode = code;
        this.errorLocation = location;
        this.errorText = text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
    public String getDedupKey() { return dedupKey; }
    public void setDedupKey(String v) { this.dedupKey = v; }
    public String getRemoteAddress() { return remoteAddress; }
    public void setRemoteAddress(String v) { this.remoteAddress = v; }
    public Long getOrderId() { return orderId; }
    public void setOrderId(Long v) { this.orderId = v; }
    public Long getPatientId() { return patientId; }
    public void setPatientId(Long v) { this.patientId = v; }
    public Long getReplayOfId() { return replayOfId; }
    public void setReplayOfId(Long v) { this.replayOfId = v; }
    public Instant getReceivedAt() { return receivedAt; }
    public Instant getProcessedAt() { return processedAt; }
    public void setProcessedAt(Instant v) { this.processedAt = v; }
}
