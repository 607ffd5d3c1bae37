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
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A request for an imaging exam as the RIS placed it (ORM^O01 / OMI^O23), with the RadLoop procedure
 * its code maps to and where it stands in the loop.
 */
@Entity
@Table(name = "imaging_order")
public class ImagingOrder {

    /** Order control status as the RIS last said it. */
    public enum Status { SCHEDULED, IN_PROGRESS, COMPLETED, CANCELLED, DISCONTINUED }

    /** Clinical priority from ORC-7 / OBR-27 / TQ1-9, normalised across HL7 versions. */
    public enum Priority { STAT, ASAP, ROUTINE;
        /** JMS priority on the stage queues: a STAT order overtakes routine work. */
        public int jmsPriority() {
            return switch (this) { case STAT -> 9; case ASAP -> 7; case ROUTINE -> 4; };
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(name = "patient_id", nullable = false)
    private Long patientId;
    @Column(name = "placer_order_number")
    private String placerOrderNumber;
    @Column(name = "filler_order_number")
    private String fillerOrderNumber;
    @Column(name = "accession_number")
    private String accessionNumber;
    @Column(name = "procedure_code")
    private String procedureCode;
    @Column(name = "procedure_text")
    private String procedureText;
    /** The RadLoop procedure the facility's code maps to; null when the code is unmapped (flagged). */
    @Column(name = "procedure_id")
    private String procedureId;
    private String modality;
    @Column(name = "body_part")
    private String bodyPart;
    private String laterality;
    private String subspecialty;
    @Column(name = "report_template")
    private String reportTemplate;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Priority priority;
    @Column(name = "reason_for_exam")
    private String reasonForExam;
    @Column(name = "diagnosis_codes")
    private String diagnosisCodes;
    @Column(name = "ordering_provider")
    private String orderingProvider;
    @Column(name = "patient_class")
    private String patientClass;
    @Column(name = "patient_location")
    private String patientLocation;
    @Column(name = "scheduled_at")
    private Instant scheduledAt;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Status status;
    @Column(name = "loop_state", nullable = false)
    private String loopState;
    /** Comma-separated flags for an analyst, e.g. UNMAPPED_PROCEDURE, CANCELLED_BEFORE_NEW. */
    private String flags;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ImagingOrder() {
    }

    public ImagingOrder(String facilityId, Long patientId, String placerOrderNumber) {
        this.facilityId = facilityId;
        this.patientId = patientId;
        this.placerOrderNumber = placerOrderNumber;
        this.priority = Priority.ROUTINE;
        this.status = Status.SCHEDULED;
        this.loopState = "RECEIVED";
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public Long getPatientId() { return patientId; }
    public void setPatientId(Long patientId) { this.patientId = patientId; touch(); }
    public String getPlacerOrderNumber() { return placerOrderNumber; }
    public String getFillerOrderNumber() { return fillerOrderNumber; }
    public void setFillerOrderNumber(String v) { this.fillerOrderNumber = v; }
    public String getAccessionNumber() { return accessionNumber; }
    public void setAccessionNumber(String v) { this.accessionNumber = v; }
    public String getProcedureCode() { return procedureCode; }
    public String getProcedureText() { return procedureText; }
    public void setProcedure(String code, String text) { this.procedureCode = code; this.procedureText = text; }
    public String getProcedureId() { return procedureId; }
    public String getModality() { return modality; }
    public String getBodyPart() { return bodyPart; }
    public String getLaterality() { return laterality; }
    public String getSubspecialty() { return subspecialty; }
    public String getReportTemplate() { return reportTemplate; }

    /** Sets what the facility's procedure code maps to in RadLoop's own terms. */
    public void mapProcedure(String procedureId, String modality, String bodyPart, String laterality,
                             String subspecialty, String reportTemplate) {
        this.procedureId = procedureId;
        this.modality = modality;
        this.bodyPart = bodyPart;
        this.laterality = laterality;
        this.subspecialty = subspecialty;
        this.reportTemplate = reportTemplate;
    }

    public Priority getPriority() { return priority; }
    public void setPriority(Priority p) { this.priority = p; }
    public String getReasonForExam() { return reasonForExam; }
    public void setReasonForExam(String v) { this.reasonForExam = v; }
    public String getDiagnosisCodes() { return diagnosisCodes; }
    public void setDiagnosisCodes(String v) { this.diagnosisCodes = v; }
    public String getOrderingProvider() { return orderingProvider; }
    public void setOrderingProvider(String v) { this.orderingProvider = v; }
    public String getPatientClass() { return patientClass; }
    public void setPatientClass(String v) { this.patientClass = v; }
    public String getPatientLocation() { return patientLocation; }
    public void setPatientLocation(String v) { this.patientLocation = v; }
    public Instant getScheduledAt() { return scheduledAt; }
    public void setScheduledAt(Instant v) { this.scheduledAt = v; }
    public Status getStatus() { return status; }
    public void setStatus(Status s) { this.status = s; touch(); }
    public String getLoopState() { return loopState; }
    public void setLoopState(String s) { this.loopState = s; touch(); }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    public Set<String> getFlags() {
        Set<String> set = new LinkedHashSet<>();
        if (flags != null && !flags.isBlank()) for (String f : flags.split(",")) set.add(f.trim());
        return set;
    }

    public void flag(String flag) {
        Set<String> set = getFlags();
        if (set.add(flag)) this.flags = String.join(",", set);
    }

    public void unflag(String flag) {
        Set<String> set = getFlags();
        if (set.remove(flag)) this.flags = set.isEmpty() ? null : String.join(",", set);
    }

    public void touch() {
        this.updatedAt = Instant.now();
    }
}
