package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One saved state of a report's text, never changed once written. */
@Entity
@Table(name = "report_version")
public class ReportVersion {

    /** AI_DRAFT (version 0), EDIT (a save), FINAL (signed), ADDENDUM (after signing). */
    public static final String AI_DRAFT = "AI_DRAFT";
    public static final String EDIT = "EDIT";
    public static final String FINAL = "FINAL";
    public static final String ADDENDUM = "ADDENDUM";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "report_id", nullable = false)
    private Long reportId;
    @Column(nullable = false)
    private int version;
    @Column(nullable = false)
    private String kind;
    @Column(nullable = false)
    private String author;
    @Column(nullable = false)
    private String sections;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ReportVersion() {
    }

    public ReportVersion(Long reportId, int version, String kind, String author, String sectionsJson, Instant createdAt) {
        this.reportId = reportId;
        this.version = version;
        this.kind = kind;
        this.author = author;
        this.sections = sectionsJson;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public Long getReportId() { return reportId; }
    public int getVersion() { return version; }
    public String getKind() { return kind; }
    public String getAuthor() { return author; }
    public String getSections() { return sections; }
    public Instant getCreatedAt() { return createdAt; }
}
