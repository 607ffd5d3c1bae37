package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * A finding the signing radiologist added that the AI did not flag: the model label it teaches
 * (e.g. "bleed"), and where it is when the radiologist said so (series, instance numbers).
 */
@Entity
@Table(name = "added_finding")
public class AddedFinding {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "report_id", nullable = false)
    private Long reportId;
    @Column(nullable = false)
    private String label;
    @Column(name = "series_uid")
    private String seriesUid;
    private String slices;
    @Column(nullable = false)
    private String reviewer;
    @Column(name = "added_at", nullable = false)
    private Instant addedAt;

    protected AddedFinding() {
    }

    public AddedFinding(Long reportId, String label, String seriesUid, List<Integer> slices, String reviewer, Instant addedAt) {
        this.reportId = reportId;
        this.label = label;
        this.seriesUid = seriesUid;
        this.slices = SliceNumbers.column(slices);
        this.reviewer = reviewer;
        this.addedAt = addedAt;
    }

    public Long getId() { return id; }
    public Long getReportId() { return reportId; }
    public String getLabel() { return label; }
    public String getSeriesUid() { return seriesUid; }
    public String getReviewer() { return reviewer; }
    public Instant getAddedAt() { return addedAt; }

    /** Instance numbers; empty for the whole series. */
    public List<Integer> getSlices() {
        return SliceNumbers.parse(slices);
    }
}
