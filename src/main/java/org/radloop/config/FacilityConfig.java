package org.radloop.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One client facility as {@code conf/facilities/<id>.yaml} describes it. The schema
 * ({@code conf/schemas/facility.schema.json}) documents each field; this class only carries them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FacilityConfig(
        String id,
        String name,
        String timeZone,
        String jurisdiction,
        Hl7 hl7,
        Dicom dicom,
        String codeMappings,
        List<JsonNode> delivery,
        Turnaround turnaround) {

    /** The agreed report turnaround per urgency, in minutes; a missing value uses RadLoop's default. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Turnaround(Integer statMinutes, Integer urgentMinutes, Integer routineMinutes) {
    }

    /**
     * How the facility's RIS identifies itself in MSH-3 and MSH-4; {@code accessionFrom} says where its
     * orders carry the accession number when it is not OBR-18 ("placer-field-1", the default, or
     * "filler-order-number").
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hl7(List<String> sendingApplications, List<String> sendingFacilities, String version, String accessionFrom) {
        public boolean matches(String msh3, String msh4) {
            if (sendingFacilities == null || msh4 == null || !containsIgnoreCase(sendingFacilities, msh4)) return false;
            return sendingApplications == null || sendingApplications.isEmpty()
                    || (msh3 != null && containsIgnoreCase(sendingApplications, msh3));
        }
    }

    /** The AE titles the facility's modalities and PACS call RadLoop with, and its DICOM options. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Dicom(List<String> callingAeTitles, Integer studyQuietPeriodSeconds, Pacs pacs) {
    }

    /**
     * The facility's PACS: where received instances are forwarded ({@code forwardInstances}) and
     * where priors are looked for ({@code fetchPriors}: the {@code priorCount} most relevant earlier
     * studies of the patient, no older than {@code priorMaxAgeYears} when set).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pacs(String aeTitle, String host, Integer port, Boolean forwardInstances, Boolean fetchPriors,
                       Integer priorCount, Integer priorMaxAgeYears) {
        public static final int DEFAULT_PRIOR_COUNT = 2;

        public boolean forwards() {
            return Boolean.TRUE.equals(forwardInstances);
        }

        public boolean fetchesPriors() {
            return Boolean.TRUE.equals(fetchPriors);
        }

        public int priorsWanted() {
            return priorCount == null ? DEFAULT_PRIOR_COUNT : priorCount;
        }

        /** Whether an association calling with this AE title is the PACS itself. */
        public boolean isCalledBy(String callingAeTitle) {
            return aeTitle != null && callingAeTitle != null && aeTitle.trim().equalsIgnoreCase(callingAeTitle.trim());
        }
    }

    /** The facility's PACS, when its file names one. */
    public java.util.Optional<Pacs> pacs() {
        return java.util.Optional.ofNullable(dicom == null ? null : dicom.pacs());
    }

    static boolean containsIgnoreCase(List<String> values, String value) {
        for (String v : values) if (v.equalsIgnoreCase(value.trim())) return true;
        return false;
    }

    /**
     * Whether the facility's modalities or PACS call with this AE title. The PACS counts without
     * being listed in callingAeTitles: it sends the priors RadLoop asks it to move.
     */
    public boolean usesAeTitle(String aeTitle) {
        if (dicom == null || aeTitle == null) return false;
        if (dicom.pacs() != null && dicom.pacs().isCalledBy(aeTitle)) return true;
        return dicom.callingAeTitles() != null && containsIgnoreCase(dicom.callingAeTitles(), aeTitle);
    }
}
