package org.radloop.triage;

import java.util.List;

/**
 * What the order says that matters for urgency, normalised by ingest across HL7 versions.
 *
 * @param priority       STAT, ASAP or ROUTINE
 * @param patientClass   PV1-2: E (emergency), I (inpatient), O (outpatient), ...
 * @param patientLocation PV1-3 point of care, e.g. "ED" or "WARD 7"
 * @param reasonForExam  OBR-31 / ORC-16 free text
 * @param diagnosisCodes DG1-3 codes (ICD-10)
 */
public record OrderFacts(String priority, String patientClass, String patientLocation, String reasonForExam,
                         List<String> diagnosisCodes) {

    public static OrderFacts none() {
        return new OrderFacts(null, null, null, null, List.of());
    }

    public List<String> diagnosisCodes() {
        return diagnosisCodes == null ? List.of() : diagnosisCodes;
    }
}
