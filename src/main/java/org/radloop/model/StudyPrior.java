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
import java.time.LocalDate;

/**
 * An earlier study of the same patient that the facility's PACS reported for a study, with how
 * relevant RadLoop judged it and whether it was retrieved for comparison.
 */
@Entity
@Table(name = "study_prior")
public class StudyPrior {

    /**
     * NOT_SELECTED: found, but less relevant than the chosen ones. RETRIEVING: chosen, C-MOVE asked
     * for (its instances are held as a prior when they arrive). RETRIEVED: its instances are here.
     * ALREADY_HELD: RadLoop had the study already, nothing to move. FAILED: the move did not bring it.
     */
    public enum State { NOT_SELECTED, RETRIEVING, RETRIEVED, ALREADY_HELD, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "study_id", nullable = false)
    private Long studyId;
    @Column(name = "prior_study_uid", nullable = false)
    private String priorStudyUid;
    @Column(name = "study_date")
    private LocalDate studyDate;
    private String description;
    private String modalities;
    @Column(name = "body_part")
    private String bodyPart;
    @Column(name = "remote_instance_count")
    private Integer remoteInstanceCount;
    @Column(nullable = false)
    private int relevance;
    @Column(nullable = false)
    private boolean selected;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "prior_study_id")
    private Long priorStudyId;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "found_at", nullable = false)
    private Instant foundAt;
    @Column(name = "retrieved_at")
    private Instant retrievedAt;

    protected StudyPrior() {
    }

    public StudyPrior(Long studyId, String priorStudyUid, Instant foundAt) {
        this.studyId = studyId;
        this.priorStudyUid = priorStudyUid;
        this.state = State.NOT_SELECTED;
        this.foundAt = foundAt;
    }

    public Long getId() { return id; }
    public Long getStudyId() { return studyId; }
    public String getPriorStudyUid() { return priorStudyUid; }
    public LocalDate getStudyDate() { return studyDate; }
    public String getDescription() { return description; }
    public String getModalities() { return modalities; }
    public String getBodyPart() { return bodyPart; }
    public Integer getRemoteInstanceCount() { return remoteInstanceCount; }
    public int getRelevance() { return relevance; }
    public boolean isSelected() { return selected; }
    public State getState() { return state; }
    public Long getPriorStudyId() { return priorStudyId; }
    public String getLastError() { return lastError; }
    public Instant getFoundAt() { return foundAt; }
    public Instant getRetrievedAt() { return retrievedAt; }

    /** What the PACS said about it at the latest search. */
    public void describe(LocalDate date, String description, String modalities, String bodyPart, Integer instances,
                         int relevance) {
        this.studyDate = date;
        this.description = fit(description, 200);
        this.modalities = fit(modalities, 100);
        this.bodyPart = fit(bodyPart, 64);
        this.remoteInstanceCount = instances;
        this.relevance = relevance;
    }

    /** Chosen for retrieval: from now on its incoming instances are held as a prior. */
    public void retrieving() {
        selected = true;
        state = State.RETRIEVING;
        lastError = null;
    }

    public void notSelected() {
        selected = false;
        state = State.NOT_SELECTED;
    }

    public void retrieved(Long localStudyId, boolean wasAlreadyHeld, Instant now) {
        selected = true;
        priorStudyId = localStudyId;
        state = wasAlreadyHeld ? State.ALREADY_HELD : State.RETRIEVED;
        retrievedAt = now;
        lastError = null;
    }

    public void failed(String error) {
        state = State.FAILED;
        lastError = fit(error, 1000);
    }

    private static String fit(String s, int max) {
        if (s == null || s.isBlank()) return null;
        String t = s.trim();
        return t.length() <= max ? t : t.substring(0, max - 3) + "...";
    }
}
