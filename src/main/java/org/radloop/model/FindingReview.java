package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The signing radiologist's verdict on one AI finding: confirmed, or rejected (with a reason if given). */
@Entity
@Table(name = "finding_review")
public class FindingReview {

    public static final String CONFIRMED = "CONFIRMED";
    public static final String REJECTED = "REJECTED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "report_id", nullable = false)
    private Long reportId;
    @Column(name = "ai_finding_id", nullable = false)
    private Long aiFindingId;
    @Column(nullable = false)
    private String verdict;
    private String reason;
    @Column(nullable = false)
    private String reviewer;
    @Column(name = "reviewed_at", nullable = false)
    private Instant reviewedAt;

    protected FindingReview() {
    }

    public FindingReview(Long reportId, Long aiFindingId, String verdict, String reason, String reviewer, Instant reviewedAt) {
        this.reportId = reportId;
        this.aiFindingId = aiFindingId;
        this.verdict = verdict;
        this.reason = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
        this.reviewer = reviewer;
        this.reviewedAt = reviewedAt;
    }

    public Long getId() { return id; }
    public Long getReportId() { return reportId; }
    public Long getAiFindingId() { return aiFindingId; }
    public String getVerdict() { return verdict; }
    public String getReason() { return reason; }
    public String getReviewer() { return reviewer; }
    public Instant getReviewedAt() { return reviewedAt; }
}
