package org.radloop.ingest;

import java.util.List;
import java.util.Objects;
import org.hibernate.Session;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;

/** Patients as the facilities identify them: found by identifier, created on first sight, merged on A40. */
final class PatientRegister {

    private PatientRegister() {
    }

    /** What an A40 did: the survivor, the prior record (null when RadLoop never knew it) and the orders moved. */
    record MergeResult(Patient survivor, Patient prior, List<ImagingOrder> movedOrders) {
    }

    static Patient find(Session s, String facilityId, String identifier, String authority) {
        return s.createSelectionQuery(
                        "from Patient p where p.facilityId = :f and p.identifier = :i and p.assigningAuthority = :a", Patient.class)
                .setParameter("f", facilityId).setParameter("i", identifier).setParameter("a", authority == null ? "" : authority)
                .uniqueResult();
    }

    /** The patient the message names, with its demographics applied; a new row only when the identifier is new. */
    static Patient upsert(Session s, String facilityId, PatientDetails d) {
        Patient p = find(s, facilityId, d.identifier(), d.authority());
        if (p == null) {
            p = new Patient(facilityId, d.identifier(), d.authority());
            p.updateDemographics(d.familyName(), d.givenName(), d.birthDate(), d.sex());
            s.persist(p);
        } else if (changes(p, d)) {
            p.updateDemographics(d.familyName(), d.givenName(), d.birthDate(), d.sex());
        }
        return p;
    }

    /** The patient orders should hang on: after a merge, the survivor. */
    static Patient current(Session s, Patient p) {
        Patient at = p;
        for (int hops = 0; at.getMergedIntoId() != null && hops < 10; hops++) {
            Patient next = s.find(Patient.class, at.getMergedIntoId());
            if (next == null) break;
            at = next;
        }
        return at;
    }

    /** Skips the update (and its SQL) when a message repeats what is already known. */
    private static boolean changes(Patient p, PatientDetails d) {
        return differs(d.familyName(), p.getFamilyName()) || differs(d.givenName(), p.getGivenName())
                || (d.birthDate() != null && !d.birthDate().equals(p.getBirthDate())) || differs(d.sex(), p.getSex());
    }

    private static boolean differs(String incoming, String known) {
        return incoming != null && !incoming.isBlank() && !Objects.equals(incoming, known);
    }

    static MergeResult merge(Session s, String facilityId, Hl7Content.MergePair pair) {
        Patient survivor = upsert(s, facilityId, pair.survivor());
        Patient prior = find(s, facilityId, pair.prior().identifier(), pair.prior().authority());
        if (prior == null || prior.getId().equals(survivor.getId())) return new MergeResult(survivor, prior, List.of());
        prior.mergeInto(survivor);
        List<ImagingOrder> orders = s.createSelectionQuery("from ImagingOrder o where o.patientId = :p", ImagingOrder.class)
                .setParameter("p", prior.getId()).getResultList();
        for (ImagingOrder o : orders) o.setPatientId(survivor.getId());
        return new MergeResult(survivor, prior, orders);
    }
}
