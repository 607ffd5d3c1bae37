package org.radloop.ingest;

import java.util.Optional;
import org.hibernate.Session;
import org.radloop.config.CodeMappings;
import org.radloop.config.ProcedureMapping;
import org.radloop.model.ImagingOrder;
import org.radloop.model.ImagingOrder.Status;

/**
 * Applies an order message to the facility's orders. Messages arrive out of order in real life (a
 * cancel before its new order, a status change for an order never seen): nothing is dropped, the
 * order is recorded from what the message says and flagged for an analyst.
 */
final class OrderRegister {

    static final String UNMAPPED_PROCEDURE = "UNMAPPED_PROCEDURE";
    static final String CANCELLED_BEFORE_NEW = "CANCELLED_BEFORE_NEW";
    static final String CHANGED_BEFORE_NEW = "CHANGED_BEFORE_NEW";
    static final String DISCONTINUED_BEFORE_NEW = "DISCONTINUED_BEFORE_NEW";
    static final String STATUS_BEFORE_NEW = "STATUS_BEFORE_NEW";

    private OrderRegister() {
    }

    /** An order the message created or changed, and the stage event it makes. */
    record Change(ImagingOrder order, String event) {
    }

    static Change apply(Session s, String facilityId, CodeMappings codes, Long patientId, IncomingOrder in) {
        ImagingOrder o = find(s, facilityId, in);
        boolean isNew = o == null;
        if (isNew) o = new ImagingOrder(facilityId, patientId, in.placer());
        else if (!patientId.equals(o.getPatientId())) o.setPatientId(patientId);

        String event;
        switch (in.control()) {
            case "NW" -> {
                details(o, in, codes);
                boolean cancelledFirst = o.getFlags().contains(CANCELLED_BEFORE_NEW) && o.getStatus() == Status.CANCELLED;
                if (!cancelledFirst && in.status() != null && (isNew || in.status() != o.getStatus())) o.setStatus(in.status());
                event = isNew ? "created" : "updated";
            }
            case "XO" -> {
                details(o, in, codes);
                if (isNew) o.flag(CHANGED_BEFORE_NEW);
                event = isNew ? "created" : "updated";
            }
            case "CA" -> {
                details(o, in, codes);
                if (isNew) o.flag(CANCELLED_BEFORE_NEW);
                o.setStatus(Status.CANCELLED);
                event = "cancelled";
            }
            case "DC" -> {
                details(o, in, codes);
                if (isNew) o.flag(DISCONTINUED_BEFORE_NEW);
                o.setStatus(Status.DISCONTINUED);
                event = "discontinued";
            }
            default -> { // SC
                details(o, in, codes);
                if (isNew) o.flag(STATUS_BEFORE_NEW);
                if (in.status() != null && in.status() != o.getStatus()) o.setStatus(in.status());
                event = o.getStatus() == Status.COMPLETED ? "completed" : "status-changed";
            }
        }
        if (isNew) s.persist(o);
        return new Change(o, event);
    }

    private static ImagingOrder find(Session s, String facilityId, IncomingOrder in) {
        if (in.placer() != null) {
            return s.createSelectionQuery("from ImagingOrder o where o.facilityId = :f and o.placerOrderNumber = :p", ImagingOrder.class)
                    .setParameter("f", facilityId).setParameter("p", in.placer()).uniqueResult();
        }
        return s.createSelectionQuery("from ImagingOrder o where o.facilityId = :f and o.fillerOrderNumber = :p order by o.id", ImagingOrder.class)
                .setParameter("f", facilityId).setParameter("p", in.filler()).setMaxResults(1).uniqueResult();
    }

    /** Copies what the message says onto the order; what it leaves out stays as it was. */
    private static void details(ImagingOrder o, IncomingOrder in, CodeMappings codes) {
        if (in.filler() != null) o.setFillerOrderNumber(in.filler());
        if (in.accession() != null) o.setAccessionNumber(in.accession());
        if (in.procedureCode() != null) {
            o.setProcedure(in.procedureCode(), in.procedureText());
            Optional<ProcedureMapping> m = codes.lookup(in.procedureCode());
            if (m.isPresent()) {
                ProcedureMapping p = m.get();
                o.mapProcedure(p.procedureId(), p.modality(), p.bodyPart(), p.laterality(), p.subspecialty(), p.reportTemplate());
                o.unflag(UNMAPPED_PROCEDURE);
            } else {
                o.mapProcedure(null, null, null, null, null, null);
                o.flag(UNMAPPED_PROCEDURE);
            }
        }
        if (in.priority() != null) o.setPriority(in.priority());
        if (in.reasonForExam() != null) o.setReasonForExam(in.reasonForExam());
        if (in.diagnosisCodes() != null) o.setDiagnosisCodes(in.diagnosisCodes());
        if (in.orderingProvider() != null) o.setOrderingProvider(in.orderingProvider());
        if (in.patientClass() != null) o.setPatientClass(in.patientClass());
        if (in.patientLocation() != null) o.setPatientLocation(in.patientLocation());
        if (in.scheduledAt() != null) o.setScheduledAt(in.scheduledAt());
        o.touch();
    }
}
