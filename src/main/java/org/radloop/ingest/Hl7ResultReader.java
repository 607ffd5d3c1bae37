package org.radloop.ingest;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ORU^R01 (a signed report from the radiologist's own reporting system) into an
 * {@link InboundResult}: the first OBR names the exam (OBR-18 accession, else the filler order
 * number OBR-3) and the signer (OBR-32 principal result interpreter), every OBX of every order
 * observation carries text.
 */
final class Hl7ResultReader {

    private Hl7ResultReader() {
    }

    static Hl7Content read(ORU_R01 oru, ZoneId zone) throws Hl7Rejection, HL7Exception {
        List<ORU_R01_ORDER_OBSERVATION> groups = oru.getPATIENT_RESULT().getORDER_OBSERVATIONAll();
        if (groups.isEmpty() || groups.get(0).getOBR().isEmpty()) {
            throw Hl7Rejection.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, ErrorLocation.segment("OBR"), "an OBR segment is required");
        }
        OBR obr = groups.get(0).getOBR();
        String placer = Hl7ContentReader.value(obr.getPlacerOrderNumber().getEntityIdentifier().getValue());
        String filler = Hl7ContentReader.value(obr.getFillerOrderNumber().getEntityIdentifier().getValue());
        String accession = Hl7ContentReader.value(obr.getPlacerField1().getValue());
        if (accession == null) accession = filler;
        if (accession == null) {
            throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.of("OBR", 18),
                    "the accession number (OBR-18, or the filler order number OBR-3) is required");
        }
        var interpreter = obr.getPrincipalResultInterpreter().getNDLName();
        String signerId = Hl7ContentReader.value(interpreter.getIDNumber().getValue());
        String family = Hl7ContentReader.value(interpreter.getFamilyName().getValue());
        String given = Hl7ContentReader.value(interpreter.getGivenName().getValue());
        String signerName = family == null ? null : given == null ? family : family + ", " + given;
        if (signerId == null && signerName == null) {
            throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.of("OBR", 32),
                    "the signing radiologist (OBR-32 principal result interpreter) is required");
        }
        String status = Hl7ContentReader.value(obr.getResultStatus().getValue());
        if (status != null && !status.equals("F") && !status.equals("C")) {
            throw Hl7Rejection.error(ErrorCode.TABLE_VALUE_NOT_FOUND, ErrorLocation.of("OBR", 25),
                    "result status '" + status + "' (OBR-25) is not a final report; only F (final) or C (corrected) are taken");
        }
        Instant observed = Hl7Dates.instant(Hl7ContentReader.value(obr.getResultsRptStatusChngDateTime().getTime().getValue()), zone,
                ErrorLocation.of("OBR", 22));
        List<InboundResult.Observation> observations = new ArrayList<>();
        for (ORU_R01_ORDER_OBSERVATION g : groups) {
            for (ORU_R01_OBSERVATION o : g.getOBSERVATIONAll()) {
                OBX obx = o.getOBX();
                if (obx.isEmpty()) continue;
                StringBuilder text = new StringBuilder();
                for (Varies v : obx.getObservationValue()) {
                    Type data = v.getData();
                    String t = data == null ? null : Hl7ContentReader.value(data.encode());
                    if (t != null) text.append(text.length() > 0 ? "\n" : "").append(unescape(t));
                }
                if (text.length() == 0) continue;
                observations.add(new InboundResult.Observation(Hl7ContentReader.value(obx.getObservationIdentifier().getIdentifier().getValue()),
                        Hl7ContentReader.value(obx.getObservationIdentifier().getText().getValue()), text.toString()));
            }
        }
        if (observations.isEmpty()) {
            throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, ErrorLocation.segment("OBX"),
                    "the report text (OBX-5 of at least one OBX) is required");
        }
        return new Hl7Content.Result(new InboundResult(accession, placer, filler, signerId, signerName,
                status == null ? "F" : status, observed, observations));
    }

    /** Report text uses \.br\ for line breaks and the standard escapes for delimiters. */
    static String unescape(String s) {
        return s.replace("\\.br\\", "\n").replace("\\F\\", "|").replace("\\S\\", "^").replace("\\R\\", "~")
                .replace("\\T\\", "&").replace("\\E\\", "\\");
    }
}
