package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What one model version said about one label of one study, kept with the decision it fed: the
 * probability, whether it crossed the threshold (and so became a finding), the slices that drove it
 * and how long it took. Negatives are kept too: "the bleed model looked and saw nothing" matters.
 */
@Entity
@Table(name = "ai_finding")
public class AiFinding {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "decision_id", nullable = false)
    private Long decisionId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(name = "series_uid")
    private String seriesUid;
    @Column(name = "model_id", nullable = false)
    private String modelId;
    @Column(name = "model_version", nullable = false)
    private String modelVersion;
    @Column(nullable = false)
    private String label;
    @Column(nullable = false)
    private double probability;
    private Double threshold;
    @Column(nullable = false)
    private boolean positive;
    @Column(name = "finding_code")
    private String findingCode;
    @Column(name = "finding_text")
    private String findingText;
    private Integer severity;
    private String slices;
    @Column(name = "read_ms", nullable = false)
    private long readMs;
    @Column(name = "preprocess_ms", nullable = false)
    private long preprocessMs;
    @Column(name = "inference_ms", nullable = false)
    private long inferenceMs;
    @Column(name = "total_ms", nullable = false)
    private long totalMs;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected AiFinding() {
    }

    public AiFinding(Long decisionId, String studyUid, String seriesUid, String modelId, String modelVersion, String label,
                     double probability, Double threshold, boolean positive, String findingCode, String findingText,
                     Integer severity, String slices, long readMs, long preprocessMs, long inferenceMs, long totalMs) {
        this.decisionId = decisionId;
        this.studyUid = studyUid;
        this.seriesUid = seriesUid;
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.label = label;
        this.probability = probability;
        this.threshold = threshold;
        this.positive = positive;
        this.findingCode = findingCode;
        this.findingText = findingText;
        this.severity = severity;
        this.slices = slices;
        this.readMs = readMs;
        this.preprocessMs = preprocessMs;
        this.inferenceMs = inferenceMs;
        this.totalMs = totalMs;
        this.createdAt = Instant.now();
    }

    public Long getId() { return id; }
    public Long getDecisionId() { return decisionId; }
    public String getStudyUid() { return studyUid; }
    public String getSeriesUid() { return seriesUid; }
    public String getModelId() { return modelId; }
    public String getModelVersion() { return modelVersion; }
    public String getLabel() { return label; }
    public double getProbability() { return probability; }
    public Double getThreshold() { return threshold; }
    public boolean isPositive() { return positive; }
    public String getFindingCode() { return findingCode; }
    public String getFindingText() { return findingText; }
    public Integer getSeverity() { return severity; }
    public String getSlices() { return slices; }
    public long getReadMs() { return readMs; }
    public long getPreprocessMs() { return preprocessMs; }
    public long getInferenceMs() { return inferenceMs; }
    public long getTotalMs() { return totalMs; }
    public Instant getCreatedAt() { return createdAt; }
}
