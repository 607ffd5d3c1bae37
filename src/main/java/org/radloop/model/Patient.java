package org.radloop.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/** A patient as one facility knows them: an identifier within an assigning authority. */
@Entity
@Table(name = "patient")
public class Patient {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "facility_id", nullable = false)
    private String facilityId;
    @Column(nullable = false)
    private String identifier;
    @Column(name = "assigning_authority", nullable = false)
    private String assigningAuthority;
    @Column(name = "family_name")
    private String familyName;
    @Column(name = "given_name")
    private String givenName;
    @Column(name = "birth_date")
    private LocalDate birthDate;
    private String sex;
    @Column(name = "merged_into_id")
    private Long mergedIntoId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Patient() {
    }

    public Patient(String facilityId, String identifier, String assigningAuthority) {
        this.facilityId = facilityId;
        this.identifier = identifier;
        this.assigningAuthority = assigningAuthority == null ? "" : assigningAuthority;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public Long getId() { return id; }
    public String getFacilityId() { return facilityId; }
    public String getIdentifier() { return identifier; }
    public String getAssigningAuthority() { return assigningAuthority; }
    public String getFamilyName() { return familyName; }
    public String getGivenName() { return givenName; }
    public LocalDate getBirthDate() { return birthDate; }
    public String getSex() { return sex; }
    public Long getMergedIntoId() { return mergedIntoId; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    /** Applies demographics from a message; blank values leave what is known untouched. */
    public void updateDemographics(String familyName, String givenName, LocalDate birthDate, String sex) {
        if (familyName != null && !familyName.isBlank()) this.familyName = familyName;
        if (givenName != null && !givenName.isBlank()) this.givenName = givenName;
        if (birthDate != null) this.birthDate = birthDate;
        if (sex != null && !sex.isBlank()) this.sex = sex;
        this.updatedAt = Instant.now();
    }

    public void mergeInto(Patient survivor) {
        this.mergedIntoId = survivor.getId();
        this.updatedAt = Instant.now();
    }
}
