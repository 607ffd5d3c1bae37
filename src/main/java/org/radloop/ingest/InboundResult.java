package org.radloop.ingest;

import java.time.Instant;
import java.util.List;

/**
 * A report that a radiologist signed in their own reporting system and sent as ORU^R01, as RadLoop
 * reads it: which exam (accession, order numbers), who signed it (OBR-32), its status (OBR-25) and
 * the text of each OBX, with the observation code that says which section it is.
 */
public record InboundResult(String accession, String placerOrderNumber, String fillerOrderNumber, String signerId,
                            String signerName, String resultStatus, Instant observedAt, List<Observation> observations) {

    /** One OBX: OBX-3 identifier and text, OBX-5 value (repetitions joined by line breaks). */
    public record Observation(String code, String codeText, String value) {
    }

    /** "Smith, Anna [r-1]", or as much as OBR-32 gave. */
    public String signer() {
        if (signerName == null) return signerId;
        return signerId == null ? signerName : signerName + " [" + signerId + "]";
    }
}
