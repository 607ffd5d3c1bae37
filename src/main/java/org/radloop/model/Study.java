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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An imaging study as RadLoop received it over DICOM: the demographics exactly as the modality sent
 * them (kept apart from the HL7 patient so that differences can be shown), what arrived, and where
 * the study stands on its way to triage.
 */
@Entity
@Table(name = "study")
public class Study {

    /**
     * RECEIVING: instances are arriving. COMPLETE: no more are expected, but it has no order yet (or
     * its hand-off is pending). TRIAGE_QUEUED: handed to triage for this completion. TRIAGED: triage
     * decided its urgency for this completion (the decision is a TriageRecord) and handed it to
     * routing. A late instance puts a COMPLETE, TRIAGE_QUEUED or TRIAGED study back to RECEIVING.
     * PRIOR: an earlier study fetched from the facility's PACS for comparison with another; it is
     * kept for reading only and never matched, completed or sent to triage itself.
     */
    public enum State { RECEIVING, COMPLETE, TRIAGE_QUEUED, TRIAGED, PRIOR }

    /** Flags an analyst should look at. */
    public static final String DEMOGRAPHICS_MISMATCH = "DEMOGRAPHICS_MISMATCH";
    public static final String INSTANCE_REPLACED = "INSTANCE_REPLACED";
    public static final String AMBIGUOUS_ORDER = "AMBIGUOUS_ORDER";
    public static final String FACILITY_CONFLICT = "FACILITY_CONFLICT";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "patient_id")
    private Long patientId;
    @Column(name = "study_instance_uid", nullable = false)
    private String studyInstanceUid;
    @Column(name = "accession_number")
    private String accessionNumber;
    @Column(name = "dicom_patient_id")
    private String dicomPatientId;
    @Column(name = "dicom_patient_name")
    private String dicomPatientName;
    @Column(name = "dicom_patient_sex")
    private String dicomPatientSex;
    @Column(name = "dicom_birth_date")
    private LocalDate dicomBirthDate;
    @Column(name = "study_date")
    private LocalDate studyDate;
    @Column(name = "study_time")
    private String studyTime;
    private String description;
    /** Comma-separated, in order of arrival, e.g. "CT,SR". */
    private String modalities;
    @Column(name = "body_part")
    private String bodyPart;
    @Column(name = "series_count", nullable = false)
    private int seriesCount;
    @Column(name = "instance_count", nullable = false)
    private int instanceCount;
    @Column(name = "total_bytes", nullable = false)
    private long totalBytes;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;
    @Column(name = "order_id")
    private Long orderId;
    private String flags;
    /** "FLAG: detail" lines, one per flag, so that an analyst sees why without opening files. */
    @Column(name = "flag_details")
    private String flagDetails;
    @Column(name = "first_instance_at", nullable = false)
    private Instant firstInstanceAt;
    @Column(name = "last_instance_at", nullable = false)
    private Instant lastInstanceAt;
    @Column(name = "completed_at")
    private Instant completedAt;
    @Column(name = "triage_queued_at")
    private Instant triageQueuedAt;
    @Column(name = "reopen_count", nullable = false)
    private int reopenCount;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Study() {
    }

    public Study(String facilityId, String studyInstanceUid, Instant firstInstanceAt) {
        this.facilityId = facilityId;
        this.studyInstanceUid = studyInstanceUid;
        this.state = State.RECEIVING;
        this.firstInstanceAt = firstInstanceAt;
        this.lastInstanceAt = firstInstanceAt;
        this.createdAt = firstInstanceAt;
        this.updatedAt = firstInstanceAt;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public Long getPatientId() { return patientId; }
    public void setPatientId(Long v) { this.patientId = v; }
    public String getStudyInstanceUid() { return studyInstanceUid; }
    public String getAccessionNumber() { return accessionNumber; }
    public String getDicomPatientId() { return dicomPatientId; }
    public String getDicomPatientName() { return dicomPatientName; }
    public String getDicomPatientSex() { return dicomPatientSex; }
    public LocalDate getDicomBirthDate() { return dicomBirthDate; }
    public LocalDate getStudyDate() { return studyDate; }
    public String getStudyTime() { return studyTime; }
    public String getDescription() { return description; }
    public String getBodyPart() { return bodyPart; }
    public int getSeriesCount() { return seriesCount; }
    public int getInstanceCount() { return instanceCount; }
    public long getTotalBytes() { return totalBytes; }
    public State getState() { return state; }
    public Long getOrderId() { return orderId; }
    public Instant getFirstInstanceAt() { return firstInstanceAt; }
    public Instant getLastInstanceAt() { return lastInstanceAt; }
    public Instant getCompletedAt() { return completedAt; }
    public Instant getTriageQueuedAt() { return triageQueuedAt; }
    public int getReopenCount() { return reopenCount; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    /** Study-level attributes as the first instance carried them; later instances fill only gaps. */
    public void describe(String accession, String patientId, String patientName, String sex, LocalDate birthDate,
                         LocalDate studyDate, String studyTime, String description) {
        if (blank(accessionNumber)) accessionNumber = nullIfBlank(accession);
        if (blank(dicomPatientId)) dicomPatientId = nullIfBlank(patientId);
        if (blank(dicomPatientName)) dicomPatientName = nullIfBlank(patientName);
        if (blank(dicomPatientSex)) dicomPatientSex = nullIfBlank(sex);
        if (dicomBirthDate == null) dicomBirthDate = birthDate;
        if (this.studyDate == null) this.studyDate = studyDate;
        if (blank(this.studyTime)) this.studyTime = nullIfBlank(studyTime);
        if (blank(this.description)) this.description = nullIfBlank(description);
    }

    public Set<String> getModalities() {
        return split(modalities);
    }

    public void addModality(String modality) {
        if (blank(modality)) return;
        Set<String> set = getModalities();
        if (set.add(modality.trim())) modalities = String.join(",", set);
    }

    public void noteBodyPart(String part) {
        if (blank(bodyPart)) bodyPart = nullIfBlank(part);
    }

    public void addSeries() {
        seriesCount++;
    }

    /** Counts an instance in (bytes > 0) or out (a replaced version: count -1, bytes negative). */
    public void count(int instances, long bytes) {
        instanceCount += instances;
        totalBytes += bytes;
    }

    public void instanceArrived(Instant at) {
        if (at.isAfter(lastInstanceAt)) lastInstanceAt = at;
        updatedAt = at;
    }

    /**
     * A new instance after completion: the study goes round again (RECEIVING, then complete, then a
     * new hand-off to triage).
     *
     * @return whether it was reopened
     */
    public boolean reopenIfDone(Instant at) {
        if (state == State.RECEIVING || state == State.PRIOR) return false;
        state = State.RECEIVING;
        reopenCount++;
        updatedAt = at;
        return true;
    }

    /** Received because RadLoop asked the PACS for it as a prior: comparison only, not a new exam. */
    public void holdAsPrior(Instant at) {
        state = State.PRIOR;
        updatedAt = at;
    }

    public void complete(Instant at) {
        state = State.COMPLETE;
        completedAt = at;
        updatedAt = at;
    }

    public void triageQueued(Instant at) {
        state = State.TRIAGE_QUEUED;
        triageQueuedAt = at;
        updatedAt = at;
    }

    /** Triage decided this completion's urgency; the decision itself is a TriageRecord. */
    public void triaged(Instant at) {
        state = State.TRIAGED;
        updatedAt = at;
    }

    public void matchOrder(Long orderId, Long patientId, Instant at) {
        this.orderId = orderId;
        if (patientId != null) this.patientId = patientId;
        updatedAt = at;
    }

    public Set<String> getFlags() {
        return split(flags);
    }

    /** Flag names to their detail. */
    public Map<String, String> getFlagDetails() {
        Map<String, String> map = new LinkedHashMap<>();
        if (flagDetails != null) {
            for (String line : flagDetails.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) map.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return map;
    }

    /** Sets a flag, replacing its earlier detail. */
    public void flag(String flag, String detail) {
        Set<String> set = getFlags();
        set.add(flag);
        flags = String.join(",", set);
        Map<String, String> details = getFlagDetails();
        details.put(flag, detail == null ? "" : detail.replace('\n', ' '));
        writeDetails(details);
    }

    public void unflag(String flag) {
        Set<String> set = getFlags();
        if (set.remove(flag)) flags = set.isEmpty() ? null : String.join(",", set);
        Map<String, String> details = getFlagDetails();
        if (details.remove(flag) != null) writeDetails(details);
    }

    private void writeDetails(Map<String, String> details) {
        StringBuilder sb = new StringBuilder();
        details.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "\n").append(k).append(": ").append(v));
        String s = sb.toString();
        flagDetails = s.isEmpty() ? null : s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    private static Set<String> split(String csv) {
        Set<String> set = new LinkedHashSet<>();
        if (csv != null && !csv.isBlank()) for (String f : csv.split(",")) set.add(f.trim());
        return set;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String nullIfBlank(String s) {
        return blank(s) ? null : s.trim();
    }
}
