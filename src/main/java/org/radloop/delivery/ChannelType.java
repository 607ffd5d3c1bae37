package org.radloop.delivery;

import java.util.Locale;

/** The kinds of delivery channel a facility can configure, as spelled in its YAML ({@code channel:}). */
public enum ChannelType {
    /** HL7 v2 ORU^R01 over MLLP to the RIS (connectors/hl7-oru-sink.kamelet.yaml). */
    HL7_ORU("hl7-oru"),
    /** FHIR R4 DiagnosticReport transaction to the facility's FHIR server (connectors/fhir-report-sink.kamelet.yaml). */
    FHIR("fhir"),
    /** The PDF by SFTP (connectors/sftp-pdf-sink.kamelet.yaml). */
    SFTP_PDF("sftp-pdf"),
    /** The PDF by email (connectors/email-pdf-sink.kamelet.yaml). */
    EMAIL_PDF("email-pdf"),
    /** The PDF as a DICOM Encapsulated PDF in the original study (connectors/dicom-store-sink.kamelet.yaml). */
    DICOM_PDF("dicom-pdf");

    private final String yamlName;

    ChannelType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static ChannelType fromYaml(String name) {
        for (ChannelType t : values()) if (t.yamlName.equals(name)) return t;
        throw new IllegalArgumentException("unknown delivery channel '" + name + "'");
    }

    @Override
    public String toString() {
        return yamlName.toLowerCase(Locale.ROOT);
    }
}
