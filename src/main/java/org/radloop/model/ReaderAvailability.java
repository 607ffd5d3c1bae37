package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What a radiologist said about their availability through the API, overriding the weekly shifts of
 * conf/radiologists.yaml until they return to SCHEDULED. Kept in the store so that it survives a
 * restart and holds on every node.
 */
@Entity
@Table(name = "reader_availability")
public class ReaderAvailability {

    /** SCHEDULED: the weekly shifts decide. ON_SHIFT / OFF_SHIFT: started or stopped by hand. AWAY: on shift but not reading. */
    public enum Status { SCHEDULED, ON_SHIFT, OFF_SHIFT, AWAY }

    @Id
    @Column(name = "radiologist_id")
    private String radiologistId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Status status;
    @Column(nullable = false)
    private Instant since;
    @Column(name = "changed_by", nullable = false)
    private String changedBy;
    private String note;

    protected ReaderAvailability() {
    }

    public ReaderAvailability(String radiologistId, Status status, Instant since, String changedBy, String note) {
        this.radiologistId = radiologistId;
        set(status, since, changedBy, note);
    }

    public void set(Status status, Instant since, String changedBy, String note) {
        this.status = status;
        this.since = since;
        this.changedBy = changedBy;
        this.note = note == null || note.length() <= 300 ? note : note.substring(0, 300);
    }

    public String getRadiologistId() { return radiologistId; }
    public Status getStatus() { return status; }
    public Instant getSince() { return since; }
    public String getChangedBy() { return changedBy; }
    public String getNote() { return note; }
}
