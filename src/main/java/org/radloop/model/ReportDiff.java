package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * How the signed report differs from the AI draft, section by section: what QC looks at now and
 * what learning will learn from later.
 */
@Entity
@Table(name = "report_diff")
public class ReportDiff {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "report_id", nullable = false)
    private Long reportId;
    @Column(name = "from_version", nullable = false)
    private int fromVersion;
    @Column(name = "to_version", nullable = false)
    private int toVersion;
    @Column(name = "changed_sections", nullable = false)
    private int changedSections;
    @Column(nullable = false)
    private String diff;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ReportDiff() {
    }

    public ReportDiff(Long reportId, int fromVersion, int toVersion, int changedSections, String diffJson, Instant createdAt) {
        this.reportId = reportId;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.changedSections = changedSections;
        this.diff = diffJson;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public Long getReportId() { return reportId; }
    public int getFromVersion() { return fromVersion; }
    public int getToVersion() { return toVersion; }
    public int getChangedSections() { return changedSections; }
    public String getDiff() { return diff; }
    public Instant getCreatedAt() { return createdAt; }
}
