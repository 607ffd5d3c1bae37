package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One version of one model: the one in service, a candidate waiting for approval, or an earlier one
 * kept (with its YAML and ONNX file) so that a rollback can bring it back.
 */
@Entity
@Table(name = "model_version")
public class ModelVersion {

    /** CURRENT: in service. WAITING_APPROVAL: a candidate the policy did not promote. RETIRED: served before. SUPERSEDED: a candidate never promoted. */
    public enum State { CURRENT, WAITING_APPROVAL, RETIRED, SUPERSEDED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "model_id", nullable = false)
    private String modelId;
    @Column(nullable = false)
    private String version;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "trained_from")
    private String trainedFrom;
    @Column(name = "yaml_path", nullable = false)
    private String yamlPath;
    @Column(name = "onnx_path", nullable = false)
    private String onnxPath;
    @Column(name = "card_path")
    private String cardPath;
    private String evaluation;
    @Column(name = "training_labels", nullable = false)
    private int trainingLabels;
    @Column(name = "holdout_labels", nullable = false)
    private int holdoutLabels;
    @Column(name = "label_high_water", nullable = false)
    private long labelHighWater;
    @Column(nullable = false)
    private boolean shadow;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "decided_at")
    private Instant decidedAt;
    @Column(name = "decided_by")
    private String decidedBy;
    private String decision;

    protected ModelVersion() {
    }

    public ModelVersion(String modelId, String version, State state, String trainedFrom, String yamlPath, String onnxPath,
                        String cardPath, String evaluation, int trainingLabels, int holdoutLabels, long labelHighWater,
                        Instant createdAt) {
        this.modelId = modelId;
        this.version = version;
        this.state = state;
        this.trainedFrom = trainedFrom;
        this.yamlPath = yamlPath;
        this.onnxPath = onnxPath;
        this.cardPath = cardPath;
        this.evaluation = evaluation;
        this.trainingLabels = trainingLabels;
        this.holdoutLabels = holdoutLabels;
        this.labelHighWater = labelHighWater;
        this.createdAt = createdAt;
    }

    /** Records a change of state and who or what decided it (the policy, a user through the API). */
    public void decide(State next, String by, String why, Instant at) {
        this.state = next;
        this.decidedBy = by;
        this.decision = why == null || why.length() <= 1000 ? why : why.substring(0, 997) + "...";
        this.decidedAt = at;
    }

    public void shadow(boolean on) {
        this.shadow = on;
    }

    public Long getId() { return id; }
    public String getModelId() { return modelId; }
    public String getVersion() { return version; }
    public State getState() { return state; }
    public String getTrainedFrom() { return trainedFrom; }
    public String getYamlPath() { return yamlPath; }
    public String getOnnxPath() { return onnxPath; }
    public String getCardPath() { return cardPath; }
    public String getEvaluation() { return evaluation; }
    public int getTrainingLabels() { return trainingLabels; }
    public int getHoldoutLabels() { return holdoutLabels; }
    public long getLabelHighWater() { return labelHighWater; }
    public boolean isShadow() { return shadow; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getDecidedAt() { return decidedAt; }
    public String getDecidedBy() { return decidedBy; }
    public String getDecision() { return decision; }
}
