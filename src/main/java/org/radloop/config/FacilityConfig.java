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
    public record Dicom(List<String> callingAeTitles, Integer studyQuietPeriodSeconds, JsonNode pacs) {
    }

    static boolean containsIgnoreCase(List<String> values, String value) {
        for (String v : values) if (v.equalsIgnoreCase(value.trim())) return true;
        return false;
    }

    public boolean usesAeTitle(String aeTitle) {
        return dicom != null && dicom.callingAeTitles() != null && aeTitle != null
                && containsIgnoreCase(dicom.callingAeTitles(), aeTitle);
    }
}
