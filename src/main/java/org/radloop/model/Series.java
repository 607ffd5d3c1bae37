package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One series of a study, with what has arrived of it. */
@Entity
@Table(name = "series")
public class Series {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "study_id", nullable = false)
    private Long studyId;
    @Column(name = "series_instance_uid", nullable = false)
    private String seriesInstanceUid;
    private String modality;
    @Column(name = "body_part")
    private String bodyPart;
    private String laterality;
    private String description;
    @Column(name = "series_number")
    private Integer seriesNumber;
    @Column(name = "instance_count", nullable = false)
    private int instanceCount;
    @Column(name = "total_bytes", nullable = false)
    private long totalBytes;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Series() {
    }

    public Series(Long studyId, String seriesInstanceUid, String modality, String bodyPart, String laterality,
                  String description, Integer seriesNumber, Instant createdAt) {
        this.studyId = studyId;
        this.seriesInstanceUid = seriesInstanceUid;
        this.modality = Study.nullIfBlank(modality);
        this.bodyPart = Study.nullIfBlank(bodyPart);
        this.laterality = Study.nullIfBlank(laterality);
        this.description = Study.nullIfBlank(description);
        this.seriesNumber = seriesNumber;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public Long getStudyId() { return studyId; }
    public String getSeriesInstanceUid() { return seriesInstanceUid; }
    public String getModality() { return modality; }
    public String getBodyPart() { return bodyPart; }
    public String getLaterality() { return laterality; }
    public String getDescription() { return description; }
    public Integer getSeriesNumber() { return seriesNumber; }
    public int getInstanceCount() { return instanceCount; }
    public long getTotalBytes() { return totalBytes; }
    public Instant getCreatedAt() { return createdAt; }

    /** Counts an instance in (bytes > 0) or a replaced version out (-1, negative bytes). */
    public void count(int instances, long bytes) {
        instanceCount += instances;
        totalBytes += bytes;
    }
}
