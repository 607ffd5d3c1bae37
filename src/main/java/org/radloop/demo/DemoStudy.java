package org.radloop.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * One synthetic study of the demo, with its truth (what the phantom really shows), and what
 * happened to it, as the simulators saw it.
 */
final class DemoStudy {

    /** The two phantom examinations, with the St Mary's code map's RIS codes (the demo facilities share that map). */
    enum Kind {
        CT_HEAD("CTHEADWO", "CT head without contrast", "CT", "bleed"),
        CHEST_XR("XRCH2V", "XR chest 2 views", "CR", "pneumothorax");

        private final String code;
        private final String description;
        private final String modality;
        private final String findingLabel;

        Kind(String code, String description, String modality, String findingLabel) {
            this.code = code;
            this.description = description;
            this.modality = modality;
            this.findingLabel = findingLabel;
        }

        String code() { return code; }
        String description() { return description; }
        String modality() { return modality; }
        String findingLabel() { return findingLabel; }
    }

    private final int number;
    private final DemoFacility facility;
    private final Kind kind;
    private final boolean abnormal;
    private final String priority;
    volatile String studyUid;
    volatile String seriesUid;
    /** When the radiologist opened the case and when they had signed it: the reading time the FIFO run reuses. */
    volatile Instant readStartedAt;
    volatile Instant sentAt;
    volatile Instant assignedAt;
    volatile Instant signedAt;
    volatile String urgency;
    volatile String reader;
    volatile long caseId = -1;
    /** Reading time in simulated minutes (the radiologist's, also used for the computed FIFO run). */
    volatile double readingMinutes;
    volatile int aiConfirmed;
    volatile int aiRejected;
    volatile int aiMissedAdded;
    volatile int qcOverrides;

    DemoStudy(int number, DemoFacility facility, Kind kind, boolean abnormal, String priority) {
        this.number = number;
        this.facility = facility;
        this.kind = kind;
        this.abnormal = abnormal;
        this.priority = priority;
    }

    int number() { return number; }
    DemoFacility facility() { return facility; }
    Kind kind() { return kind; }
    boolean abnormal() { return abnormal; }
    String priority() { return priority; }
    String placer() { return "D" + 1000 + number; }
    String accession() { return "DEMO" + (10000 + number); }
    String patientId() { return "DP" + (50000 + number); }

    String reasonForExam() {
        if (kind == Kind.CT_HEAD) {
            return priority.equals("S") ? "I61.9^Sudden severe headache, reduced consciousness" : "R51^Headache for 3 weeks";
        }
        return priority.equals("S") ? "R06.0^Sudden dyspnoea, chest pain" : "R05^Cough";
    }

    /** Sent to signed, measured; null before signing. */
    Duration timeToSigned() {
        return signedAt == null || sentAt == null ? null : Duration.between(sentAt, signedAt);
    }
}
