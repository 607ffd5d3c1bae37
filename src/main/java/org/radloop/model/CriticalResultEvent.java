package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One entry of a critical result's timeline (opened, step notified, sent, failed, escalated,
 * acknowledged, a refused link), at the engine clock's time. Written in the transaction of the change
 * it describes, next to the general {@link AuditEvent}.
 */
@Entity
@Table(name = "critical_result_event")
public class CriticalResultEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "critical_result_id", nullable = false)
    private Long criticalResultId;
    @Column(nullable = false)
    private Instant at;
    @Column(nullable = false)
    private String kind;
    private Integer step;
    private String actor;
    private String detail;

    protected CriticalResultEvent() {
    }

    public CriticalResultEvent(Long criticalResultId, Instant at, String kind, Integer step, String actor, String detail) {
        this.criticalResultId = criticalResultId;
        this.at = at;
        this.kind = kind;
        this.step = step;
        this.actor = actor;
        this.detail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 1997) + "...";
    }

    public Long getId() { return id; }
    public Long getCriticalResultId() { return criticalResultId; }
    public Instant getAt() { return at; }
    public String getKind() { return kind; }
    public Integer getStep() { return step; }
    public String getActor() { return actor; }
    public String getDetail() { return detail; }
}
