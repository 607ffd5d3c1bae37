package org.radloop.ingest;

import java.util.List;

/** What a supported message asks RadLoop to do, read out of HAPI's structures before any database work. */
sealed interface Hl7Content {

    /** ORM^O01 / OMI^O23: one patient, one or more orders. */
    record Orders(PatientDetails patient, List<IncomingOrder> orders) implements Hl7Content {
    }

    /** ADT^A01, A04, A08: admit, register, update: the patient's demographics as they now are. */
    record PatientUpdate(String event, PatientDetails patient) implements Hl7Content {
    }

    /** ADT^A40: each prior identifier (MRG-1) is merged into the surviving patient (PID-3). */
    record Merge(List<MergePair> pairs) implements Hl7Content {
    }

    /** ORU^R01: a report signed in the radiologist's own reporting system. */
    record Result(InboundResult result) implements Hl7Content {
    }

    record MergePair(PatientDetails survivor, PatientDetails prior) {
    }
}
