package org.radloop.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hibernate.query.Query;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;
import org.radloop.model.Store;

/**
 * An order as RadLoop holds it, found by accession number: who it is for, what was asked, what it
 * mapped to, where it stands in the loop, and which messages touched it. An accession number is
 * unique only within a facility, so without {@code ?facility=} every facility's match is returned.
 */
final class OrderLookup {

    static final Set<String> PARAMETERS = Set.of("facility");

    record PatientView(long id, String identifier, String assigningAuthority, String familyName, String givenName,
                       LocalDate birthDate, String sex, Long mergedInto) {
        static PatientView of(Patient p) {
            return p == null ? null : new PatientView(p.getId(), p.getIdentifier(), p.getAssigningAuthority(),
                    p.getFamilyName(), p.getGivenName(), p.getBirthDate(), p.getSex(), p.getMergedIntoId());
        }
    }

    record Procedure(String code, String text, String procedureId, String modality, String bodyPart,
                     String laterality, String subspecialty, String reportTemplate) {
    }

    record OrderView(long id, String facility, String accessionNumber, String placerOrderNumber,
                     String fillerOrderNumber, PatientView patient, Procedure procedure, String priority,
                     String status, String loopState, Set<String> flags, String reasonForExam,
                     String diagnosisCodes, String orderingProvider, String patientClass, String patientLocation,
                     Instant scheduledAt, Instant createdAt, Instant updatedAt, List<Long> messageIds) {
    }

    record Result(String accessionNumber, List<OrderView> orders) {
    }

    private final Store store;

    OrderLookup(Store store) {
        this.store = store;
    }

    Result byAccession(String accession, String facility) {
        List<OrderView> views = store.fromTransaction(s -> {
            Query<ImagingOrder> q = s.createQuery("from ImagingOrder o where o.accessionNumber = :acc"
                    + (facility == null ? "" : " and o.facilityId = :facility") + " order by o.facilityId, o.id", ImagingOrder.class)
                    .setParameter("acc", accession);
            if (facility != null) q.setParameter("facility", facility);
            List<OrderView> out = new ArrayList<>();
            for (ImagingOrder o : q.getResultList()) {
                List<Long> messageIds = s.createQuery("select m.id from MessageRecord m where m.orderId = :id order by m.receivedAt, m.id",
                        Long.class).setParameter("id", o.getId()).getResultList();
                out.add(new OrderView(o.getId(), o.getFacilityId(), o.getAccessionNumber(), o.getPlacerOrderNumber(),
                        o.getFillerOrderNumber(), PatientView.of(s.find(Patient.class, o.getPatientId())),
                        new Procedure(o.getProcedureCode(), o.getProcedureText(), o.getProcedureId(), o.getModality(),
                                o.getBodyPart(), o.getLaterality(), o.getSubspecialty(), o.getReportTemplate()),
                        o.getPriority().name(), o.getStatus().name(), o.getLoopState(), o.getFlags(),
                        o.getReasonForExam(), o.getDiagnosisCodes(), o.getOrderingProvider(), o.getPatientClass(),
                        o.getPatientLocation(), o.getScheduledAt(), o.getCreatedAt(), o.getUpdatedAt(), messageIds));
            }
            return out;
        });
        if (views.isEmpty()) {
            throw ApiProblem.notFound("no order with accession number '" + accession + "'"
                    + (facility == null ? "" : " at facility '" + facility + "'"));
        }
        return new Result(accession, views);
    }
}
