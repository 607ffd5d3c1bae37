package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A client site. Its configuration lives in {@code conf/facilities/<id>.yaml}; this row is the
 * database's copy of its identity so that patients, orders and messages can refer to it.
 */
@Entity
@Table(name = "facility")
public class Facility {
    @Id
    private String id;
    @Column(nullable = false)
    private String name;
    @Column(name = "time_zone", nullable = false)
    private String timeZone;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Facility() {
    }

    public Facility(String id, String name, String timeZone) {
        this.id = id;
        this.name = name;
        this.timeZone = timeZone;
        this.updatedAt = Instant.now();
    }

    public String getId() { return id; }
    public String getName() { return name; }
    public String getTimeZone() { return timeZone; }
    public Instant getUpdatedAt() { return updatedAt; }

    public void rename(String name, String timeZone) {
        this.name = name;
        this.timeZone = timeZone;
        this.updatedAt = Instant.now();
    }
}
