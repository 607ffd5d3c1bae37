package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What a radiologist taught a model when signing one study: their verdict on one AI finding (or a
 * finding the AI missed), the slices and files it is about, and the model version that produced it.
 * These rows are the learning loop's ground truth.
 */
@Entity
@Table(name = "training_label")
public class TrainingLabel {

    /**
     * CONFIRMED: the AI's call stands (a flagged finding is there, or "nothing seen" is right);
     * REJECTED: a flagged finding is not there (a false positive); ADDED_MISSED: a finding the AI did
     * not flag, added by the radiologist (a false negative).
     */
    public enum Verdict { CONFIRMED, REJECTED, ADDED_MISSED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "study_uid", nullable = false)
    private String studyUid;
    @Column(name = "series_uid")
    private String seriesUid;
    private String slices;
    @Column(name = "instance_files")
    private String instanceFiles;
    @Column(name = "ai_finding_id")
    private Long aiFindingId;
    @Column(name = "model_id")
    private String modelId;
    @Column(name = "model_version")
    private String modelVersion;
    @Column(nullable = false)
    private String label;
    @Column(name = "ai_positive")
    private Boolean aiPositive;
    @Column(name = "ai_probability")
    private Double aiProbability;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Verdict verdict;
    @Column(nullable = false)
    private String radiologist;
    @Column(name = "report_id", nullable = false)
    private String reportId;
    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    protected TrainingLabel() {
    }

    public TrainingLabel(String facilityId, String studyUid, String seriesUid, List<Integer> slices, List<Path> files,
                         Long aiFindingId, String modelId, String modelVersion, String label, Boolean aiPositive,
                         Double aiProbability, Verdict verdict, String radiologist, String reportId, Instant recordedAt) {
        this.facilityId = facilityId;
        this.studyUid = studyUid;
        this.seriesUid = seriesUid;
        this.slices = SliceNumbers.column(slices);
        this.instanceFiles = files == null ? "" : String.join("\n", files.stream().map(p -> p.toAbsolutePath().toString()).toList());
        this.aiFindingId = aiFindingId;
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.label = label;
        this.aiPositive = aiPositive;
        this.aiProbability = aiProbability;
        this.verdict = verdict;
        this.radiologist = radiologist;
        this.reportId = reportId;
        this.recordedAt = recordedAt;
    }

    /** Whether the finding is really there, as the radiologist says. */
    public boolean findingPresent() {
        return switch (verdict) {
            case ADDED_MISSED -> true;
            case REJECTED -> false;
            case CONFIRMED -> aiPositive == null || aiPositive;
        };
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public String getStudyUid() { return studyUid; }
    public String getSeriesUid() { return seriesUid; }
    public List<Integer> getSlices() {
        return SliceNumbers.parse(slices);
    }
    public List<Path> getInstanceFiles() {
        return instanceFiles == null || instanceFiles.isBlank() ? List.of()
                : Arrays.stream(instanceFiles.split("\n")).filter(s -> !s.isBlank()).map(Path::of).toList();
    }
    public Long getAiFindingId() { return aiFindingId; }
    public String getModelId() { return modelId; }
    public String getModelVersion() { return modelVersion; }
    public String getLabel() { return label; }
    public Boolean getAiPositive() { return aiPositive; }
    public Double getAiProbability() { return aiProbability; }
    public Verdict getVerdict() { return verdict; }
    public String getRadiologist() { return radiologist; }
    public String getReportId() { return reportId; }
    public Instant getRecordedAt() { return recordedAt; }
}
