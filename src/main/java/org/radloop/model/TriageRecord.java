package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One triage decision for a study as it was made: urgency, score, JMS priority, deadline, the parts
 * of the score, and every reason (JSON), so that a radiologist or an auditor can see why a study
 * came first. A study triaged again (e.g. a late series) gets a new row; the latest one counts.
 */
@Entity
@Table(name = "triage_decision")
public class TriageRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(nullable = false)
    private String urgency;
    @Column(nullable = false)
    private double score;
    @Column(name = "jms_priority", nullable = false)
    private int jmsPriority;
    @Column(name = "clinical_score", nullable = false)
    private double clinicalScore;
    @Column(name = "finding_score", nullable = false)
    private double findingScore;
    @Column(name = "rule_score", nullable = false)
    private int ruleScore;
    @Column(name = "ageing_score", nullable = false)
    private double ageingScore;
    @Column(nullable = false)
    private Instant deadline;
    @Column(nullable = false)
    private boolean overdue;
    @Column(nullable = false)
    private String reasons;
    @Column(name = "decided_at", nullable = false)
    private Instant decidedAt;

    protected TriageRecord() {
    }

    public TriageRecord(String facilityId, String studyUid, String urgency, double score, int jmsPriority,
                        double clinicalScore, double findingScore, int ruleScore, double ageingScore,
                        Instant deadline, boolean overdue, String reasonsJson, Instant decidedAt) {
        this.facilityId = facilityId;
        this.studyUid = studyUid;
        this.urgency = urgency;
        this.score = score;
        this.jmsPriority = jmsPriority;
        this.clinicalScore = clinicalScore;
        this.findingScore = findingScore;
        this.ruleScore = ruleScore;
        this.ageingScore = ageingScore;
        this.deadline = deadline;
        this.overdue = overdue;
        this.reasons = reasonsJson;
        this.decidedAt = decidedAt;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public String getStudyUid() { return studyUid; }
    public String getUrgency() { return urgency; }
    public double getScore() { return score; }
    public int getJmsPriority() { return jmsPriority; }
    public double getClinicalScore() { return clinicalScore; }
    public double getFindingScore() { return findingScore; }
    public int getRuleScore() { return ruleScore; }
    public double getAgeingScore() { return ageingScore; }
    public Instant getDeadline() { return deadline; }
    public boolean isOverdue() { return overdue; }
    public String getReasons() { return reasons; }
    public Instant getDecidedAt() { return decidedAt; }
}
