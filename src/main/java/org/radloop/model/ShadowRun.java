package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A candidate model version run beside the version in service on one live study; never part of triage. */
@Entity
@Table(name = "shadow_run")
public class ShadowRun {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "model_id", nullable = false)
    private String modelId;
    @Column(name = "current_version", nullable = false)
    private String currentVersion;
    @Column(name = "candidate_version", nullable = false)
    private String candidateVersion;
    @Column(name = "facility_id")
    private String facilityId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(nullable = false)
    private String label;
    @Column(name = "current_probability")
    private Double currentProbability;
    @Column(name = "candidate_probability", nullable = false)
    private double candidateProbability;
    @Column(name = "current_positive")
    private Boolean currentPositive;
    @Column(name = "candidate_positive", nullable = false)
    private boolean candidatePositive;
    private Boolean agree;
    @Column(name = "candidate_ms", nullable = false)
    private long candidateMs;
    @Column(name = "run_at", nullable = false)
    private Instant runAt;

    protected ShadowRun() {
    }

    public ShadowRun(String modelId, String currentVersion, String candidateVersion, String facilityId, String studyUid,
                     String label, Double currentProbability, double candidateProbability, Boolean currentPositive,
                     boolean candidatePositive, long candidateMs, Instant runAt) {
        this.modelId = modelId;
        this.currentVersion = currentVersion;
        this.candidateVersion = candidateVersion;
        this.facilityId = facilityId;
        this.studyUid = studyUid;
        this.label = label;
        this.currentProbability = currentProbability;
        this.candidateProbability = candidateProbability;
        this.currentPositive = currentPositive;
        this.candidatePositive = candidatePositive;
        this.agree = currentPositive == null ? null : currentPositive == candidatePositive;
        this.candidateMs = candidateMs;
        this.runAt = runAt;
    }

    public Long getId() { return id; }
    public String getModelId() { return modelId; }
    public String getCurrentVersion() { return currentVersion; }
    public String getCandidateVersion() { return candidateVersion; }
    public String getStudyUid() { return studyUid; }
    public String getLabel() { return label; }
    public Double getCurrentProbability() { return currentProbability; }
    public double getCandidateProbability() { return candidateProbability; }
    public Boolean getCurrentPositive() { return currentPositive; }
    public boolean isCandidatePositive() { return candidatePositive; }
    public Boolean getAgree() { return agree; }
    public Instant getRunAt() { return runAt; }
}
