package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A stage message that a committed change owes its queue. Written in the same transaction as the
 * change, deleted once the broker has the message: so a crash between commit and send loses nothing,
 * it only sends the message again at the next start.
 */
@Entity
@Table(name = "stage_outbox")
public class StageOutboxEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false)
    private String queue;
    @Column(nullable = false)
    private String kind;
    @Column(name = "entity_id", nullable = false)
    private String entityId;
    @Column(name = "facility_id")
    private String facilityId;
    @Column(nullable = false)
    private String event;
    @Column(nullable = false)
    private int priority;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected StageOutboxEntry() {
    }

    public StageOutboxEntry(String queue, String kind, Object entityId, String facilityId, String event, int priority) {
        this.queue = queue;
        this.kind = kind;
        this.entityId = String.valueOf(entityId);
        this.facilityId = facilityId;
        this.event = event;
        this.priority = priority;
        this.createdAt = Instant.now();
    }

    public Long getId() { return id; }
    public String getQueue() { return queue; }
    public String getKind() { return kind; }
    public String getEntityId() { return entityId; }
    public String getFacilityId() { return facilityId; }
    public String getEvent() { return event; }
    public int getPriority() { return priority; }
    public Instant getCreatedAt() { return createdAt; }
}
