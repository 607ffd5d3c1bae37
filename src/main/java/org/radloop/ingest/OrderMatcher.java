package org.radloop.ingest;

import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Session;
import org.radloop.config.FacilityRegistry;
import org.radloop.engine.StageMessage;
import org.radloop.model.AuditEvent;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Patient;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the order a study was acquired for, whichever of the two arrives first.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>Same facility and the same accession number. Accession numbers are what the RIS gives the
 *       modality worklist, so this is the reliable match.</li>
 *   <li>Otherwise the same patient identifier in the same facility, an order whose modality is one of
 *       the study's modalities, and an order date (scheduled, else placed) within
 *       {@code radloop.study.match.window.hours} (default 24) of the study date and time. Orders that
 *       carry a different accession number than the study, or that another study already matched,
 *       are not candidates: they are other exams.</li>
 * </ol>
 * Cancelled and discontinued orders never match. When more than one order fits, nothing is matched
 * and the study is flagged AMBIGUOUS_ORDER for a person to decide. A match compares the DICOM and HL7
 * demographics and flags DEMOGRAPHICS_MISMATCH with the differences.
 */
public final class OrderMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(OrderMatcher.class);
    private static final List<ImagingOrder.Status> CLOSED =
            List.of(ImagingOrder.Status.CANCELLED, ImagingOrder.Status.DISCONTINUED);

    private final Store store;
    private final FacilityRegistry facilities;
    private final TriageHandoff handoff;
    private final Clock clock;
    private final Duration window;

    public OrderMatcher(Store store, FacilityRegistry facilities, TriageHandoff handoff, Clock clock, Duration window) {
        this.store = store;
        this.facilities = facilities;
        this.handoff = handoff;
        this.clock = clock;
        this.window = window;
    }

    /**
     * One message from {@code radloop.ingest}. An order that was created or changed may now match
     * waiting studies (or complete its own); a study message re-runs matching for that study.
     * Other kinds belong to other consumers' concerns and are ignored.
     */
    public void onStageMessage(String json) {
        StageMessage m = StageMessage.fromJson(json);
        if ("order".equals(m.kind())) {
            long id;
            try {
                id = Long.parseLong(m.id().trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Order message without a numeric order id: " + m.id());
            }
            orderChanged(id);
        } else if ("study".equals(m.kind())) {
            studyChanged(m.id());
        } else {
            LOG.debug("Ignoring {} message on the ingest queue", m.kind());
        }
    }

    /**
     * Re-examines the studies an order concerns.
     *
     * @return how many waiting studies it matched now
     * @throws IllegalStateException when the order does not exist (yet): the message is redelivered
     */
    public int orderChanged(long orderId) {
        return TransientFailures.retry(() -> store.fromTransaction(s -> {
            ImagingOrder order = s.find(ImagingOrder.class, orderId);
            if (order == null) throw new IllegalStateException("Order " + orderId + " does not exist");
            Instant now = clock.instant();
            for (Study study : lock(s, s.createQuery("select id from Study where orderId = :o order by id", Long.class)
                    .setParameter("o", orderId).list())) {
                checkDemographics(s, study, order);
                completeIfOrderSaysSo(s, study, order, now);
            }
            if (CLOSED.contains(order.getStatus())) return 0;
            Set<Long> candidates = new TreeSet<>();
            if (order.getAccessionNumber() != null && !order.getAccessionNumber().isBlank()) {
                candidates.addAll(s.createQuery("select id from Study where facilityId = :f and accessionNumber = :a"
                                + " and orderId is null", Long.class)
                        .setParameter("f", order.getFacilityId()).setParameter("a", order.getAccessionNumber().trim()).list());
            }
            Patient patient = s.find(Patient.class, order.getPatientId());
            if (patient != null) {
                candidates.addAll(s.createQuery("select id from Study where facilityId = :f and dicomPatientId = :p"
                                + " and orderId is null", Long.class)
                        .setParameter("f", order.getFacilityId()).setParameter("p", patient.getIdentifier()).list());
            }
            int matched = 0;
            for (Study study : lock(s, new ArrayList<>(candidates))) {
                if (study.getOrderId() != null) continue;
                matchStudy(s, study, now);
                if (!order.getId().equals(study.getOrderId())) continue;
                matched++;
                if (study.getState() == Study.State.COMPLETE) handoff.handOffIfMatched(s, study, now);
                else completeIfOrderSaysSo(s, study, order, now);
            }
            return matched;
        }));
    }

    /** Matches one study if it still waits for its order, and hands it on if it is complete. */
    public void studyChanged(String studyInstanceUid) {
        TransientFailures.retry(() -> store.fromTransaction(s -> {
            Study study = s.createQuery("from Study where studyInstanceUid = :u", Study.class)
                    .setParameter("u", studyInstanceUid).setLockMode(LockModeType.PESSIMISTIC_WRITE).uniqueResult();
            if (study == null) throw new IllegalStateException("Study " + studyInstanceUid + " does not exist");
            Instant now = clock.instant();
            matchStudy(s, study, now);
            handoff.handOffIfMatched(s, study, now);
            return null;
        }));
    }

    /** Looks for the study's order; call with the study row locked. Does nothing when it already has one. */
    void matchStudy(Session s, Study study, Instant now) {
        // A prior fetched for comparison is an old exam of its own: it has no order to wait for.
        if (study.getOrderId() != null || study.getState() == Study.State.PRIOR) return;
        String accession = study.getAccessionNumber();
        String rule = "accession number";
        List<ImagingOrder> candidates = List.of();
        if (accession != null) {
            candidates = s.createQuery("from ImagingOrder where facilityId = :f and accessionNumber = :a"
                            + " and status not in (:closed) order by id", ImagingOrder.class)
                    .setParameter("f", study.getFacilityId()).setParameter("a", accession)
                    .setParameterList("closed", CLOSED).list();
        }
        if (candidates.isEmpty()) {
            rule = "patient, modality and date";
            candidates = byPatientModalityAndDate(s, study);
        }
        if (candidates.size() == 1) {
            ImagingOrder order = candidates.get(0);
            study.matchOrder(order.getId(), order.getPatientId(), now);
            study.unflag(Study.AMBIGUOUS_ORDER);
            checkDemographics(s, study, order);
            s.persist(new AuditEvent("order-matcher", "order-matched", "study", study.getId(),
                    "order " + order.getId() + " by " + rule));
            LOG.info("Study {} matched to order {} by {}", study.getId(), order.getId(), rule);
        } else if (candidates.size() > 1) {
            study.flag(Study.AMBIGUOUS_ORDER, candidates.size() + " orders fit by " + rule + ": "
                    + candidates.stream().map(o -> String.valueOf(o.getId())).toList());
        }
    }

    private List<ImagingOrder> byPatientModalityAndDate(Session s, Study study) {
        if (study.getDicomPatientId() == null || study.getModalities().isEmpty()) return List.of();
        Set<String> modalities = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        modalities.addAll(study.getModalities());
        Instant acquired = acquiredAt(study);
        String accession = study.getAccessionNumber();
        // p.facilityId as well (a facility's orders hang on its own patients): it lets the database find
        // the patient by its unique (facility, identifier) key instead of scanning every order of the facility.
        List<ImagingOrder> orders = s.createQuery("select o from ImagingOrder o, Patient p where p.id = o.patientId"
                        + " and o.facilityId = :f and p.facilityId = :f and p.identifier = :pid and o.status not in (:closed) order by o.id",
                        ImagingOrder.class)
                .setParameter("f", study.getFacilityId()).setParameter("pid", study.getDicomPatientId())
                .setParameterList("closed", CLOSED).list();
        List<ImagingOrder> fit = new ArrayList<>();
        for (ImagingOrder o : orders) {
            if (o.getModality() == null || !modalities.contains(o.getModality())) continue;
            if (accession != null && o.getAccessionNumber() != null && !o.getAccessionNumber().equals(accession)) continue;
            Instant ordered = o.getScheduledAt() != null ? o.getScheduledAt() : o.getCreatedAt();
            if (Duration.between(ordered, acquired).abs().compareTo(window) > 0) continue;
            Long taken = s.createQuery("select count(*) from Study where orderId = :o and id <> :me", Long.class)
                    .setParameter("o", o.getId()).setParameter("me", study.getId()).uniqueResult();
            if (taken > 0) continue;
            fit.add(o);
        }
        return fit;
    }

    /** Study date and time in the facility's time zone; when the date is missing, when it arrived. */
    private Instant acquiredAt(Study study) {
        if (study.getStudyDate() == null) return study.getFirstInstanceAt();
        ZoneId zone = facilities.byId(study.getFacilityId())
                .map(f -> ZoneId.of(f.config().timeZone())).orElse(ZoneId.of("UTC"));
        return study.getStudyDate().atTime(time(study.getStudyTime())).atZone(zone).toInstant();
    }

    /** DICOM TM (HH, HHMM, HHMMSS, HHMMSS.FFFFFF, or the old HH:MM:SS); noon when absent or unreadable. */
    static LocalTime time(String tm) {
        if (tm == null) return LocalTime.NOON;
        String digits = tm.replace(":", "").trim();
        int dot = digits.indexOf('.');
        if (dot >= 0) digits = digits.substring(0, dot);
        try {
            int h = digits.length() >= 2 ? Integer.parseInt(digits.substring(0, 2)) : -1;
            int m = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
            int sec = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
            return h < 0 ? LocalTime.NOON : LocalTime.of(h, m, Math.min(sec, 59));
        } catch (RuntimeException e) {
            return LocalTime.NOON;
        }
    }

    private void checkDemographics(Session s, Study study, ImagingOrder order) {
        Patient patient = s.find(Patient.class, order.getPatientId());
        if (patient == null) return;
        List<String> diffs = DemographicsCheck.differences(study, patient);
        if (diffs.isEmpty()) {
            study.unflag(Study.DEMOGRAPHICS_MISMATCH);
        } else {
            boolean already = study.getFlags().contains(Study.DEMOGRAPHICS_MISMATCH);
            study.flag(Study.DEMOGRAPHICS_MISMATCH, String.join("; ", diffs));
            if (!already) {
                s.persist(new AuditEvent("order-matcher", "demographics-mismatch", "study", study.getId(),
                        diffs.size() + " difference(s) with order " + order.getId()));
                LOG.warn("Study {} differs from the demographics of order {} in {} field(s)", study.getId(),
                        order.getId(), diffs.size());
            }
        }
    }

    private void completeIfOrderSaysSo(Session s, Study study, ImagingOrder order, Instant now) {
        if (CompletionRule.orderSaysComplete(study, order.getStatus())) {
            handoff.complete(s, study, now, "order status COMPLETED");
        }
    }

    private static List<Study> lock(Session s, List<Long> ids) {
        List<Study> out = new ArrayList<>();
        for (Long id : ids.stream().sorted().toList()) {
            Study st = s.find(Study.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (st != null) out.add(st);
        }
        return out;
    }
}
