package org.radloop.delivery;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the delivery stage needs to know about one signed version of a report, gathered by a
 * {@link ReportSource} from the report, its order, patient and study. Each channel builds its own
 * message from this (ORU^R01, FHIR DiagnosticReport, PDF, DICOM Encapsulated PDF); none reads the
 * store itself.
 *
 * @param reportId       the report's stable id (the same for every version)
 * @param version        1 for the first signed version, 2.. for each correction
 * @param status         FINAL or CORRECTED: HL7 result status F or C, FHIR final or corrected
 * @param facilityId     the facility whose channels receive it
 * @param order          the original order's identifiers, as the RIS sent them
 * @param patient        the patient as the order named them
 * @param studyInstanceUid the study the report reads (0020,000D); the DICOM copy goes into it
 * @param sections       section title to text, in reading order (Clinical history, Technique, Findings, ...)
 * @param impression     the impression (conclusion); also sent as its own OBX and in the FHIR conclusion
 * @param signer         the radiologist who signed this version
 * @param signedAt       when this version was signed
 * @param aiDisclosure   the sentence that tells the reader how AI assisted (shown on every form); null when none
 * @param findings       coded findings, one FHIR Observation each
 */
public record ReportForDelivery(
        String reportId,
        int version,
        Status status,
        String facilityId,
        Order order,
        Patient patient,
        String studyInstanceUid,
        Map<String, String> sections,
        String impression,
        Person signer,
        Instant signedAt,
        String aiDisclosure,
        List<Finding> findings) {

    public enum Status {
        FINAL("F", "final"), CORRECTED("C", "corrected");

        private final String hl7;
        private final String fhir;

        Status(String hl7, String fhir) {
            this.hl7 = hl7;
            this.fhir = fhir;
        }

        /** HL7 table 0123 result status: OBR-25 and OBX-11. */
        public String hl7() { return hl7; }

        /** FHIR DiagnosticReport.status and Observation.status. */
        public String fhir() { return fhir; }
    }

    /** The order as the RIS placed it: its identifiers go back unchanged so the RIS can file the result. */
    public record Order(String placerOrderNumber, String fillerOrderNumber, String accessionNumber,
                        String procedureCode, String procedureText, String procedureCodingSystem,
                        Person orderingProvider, Instant examAt) {
    }

    /** The patient as the RIS identifies them (PID-3 with its assigning authority). */
    public record Patient(String identifier, String assigningAuthority, String familyName, String givenName,
                          LocalDate birthDate, String sex) {

        public String displayName() {
            return (familyName == null ? "" : familyName.toUpperCase(java.util.Locale.ROOT))
                    + (givenName == null || givenName.isBlank() ? "" : ", " + givenName);
        }
    }

    /** A clinician: identifier in the facility's directory (may be null) and name. */
    public record Person(String id, String familyName, String givenName) {

        public String displayName() {
            String given = givenName == null || givenName.isBlank() ? "" : givenName + " ";
            return given + (familyName == null ? "" : familyName);
        }
    }

    /** A coded finding of the report (e.g. SNOMED CT or RadLex), positive unless {@code present} is false. */
    public record Finding(String code, String codeSystem, String text, boolean present) {
    }

    public ReportForDelivery {
        sections = sections == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        findings = findings == null ? List.of() : List.copyOf(findings);
    }
}
