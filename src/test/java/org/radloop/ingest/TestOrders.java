package org.radloop.ingest;

import java.time.Instant;
import java.time.LocalDate;
import org.radloop.engine.RadLoopEngine;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;

/** Orders as the HL7 stage stores them (patient plus imaging order), inserted straight into the store. */
final class TestOrders {

    private TestOrders() {
    }

    static long insert(RadLoopEngine engine, String mrn, String family, String given, String sex, String accession,
                       String modality, ImagingOrder.Priority priority) {
        return insert(engine, mrn, family, given, sex, null, accession, modality, priority, ImagingOrder.Status.SCHEDULED, null);
    }

    static long insert(RadLoopEngine engine, String mrn, String family, String given, String sex, LocalDate birth, String accession,
                       String modality, ImagingOrder.Priority priority, ImagingOrder.Status status, Instant scheduled) {
        return engine.store().fromTransaction(s -> {
            Patient patient = s.createQuery("from Patient where facilityId = 'st-marys' and identifier = :i", Patient.class)
                    .setParameter("i", mrn).uniqueResult();
            if (patient == null) {
                patient = new Patient("st-marys", mrn, "STMARYS");
                patient.updateDemographics(family, given, birth, sex);
                s.persist(patient);
            }
            ImagingOrder order = new ImagingOrder("st-marys", patient.getId(), "P-" + DicomSamples.uid().substring(5, 25));
            order.setAccessionNumber(accession);
            order.setProcedure("X" + modality, modality + " examination");
            order.mapProcedure("test-" + modality.toLowerCase(), modality, null, null, null, null);
            order.setPriority(priority);
            order.setStatus(status);
            order.setScheduledAt(scheduled);
            s.persist(order);
            return order.getId();
        });
    }
}
