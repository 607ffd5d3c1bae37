package org.radloop.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import org.hibernate.Session;
import org.radloop.model.CriticalResultRecord;
import org.radloop.model.Facility;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the closed loop for a critical finding: records it, notifies the first step of the
 * facility's escalation chain (the ordering clinician) at once, and leaves the rest to
 * {@link CriticalResultEscalation}. The entry point of the QC stage: {@link #open(CriticalResult)}.
 *
 * <p>Idempotent: the same finding of the same report (same facility, report id and finding text)
 * opens one critical result however often it is handed over, e.g. when a QC message is redelivered.
 */
public final class CriticalResultNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(CriticalResultNotifier.class);

    private final Store store;
    private final CriticalResultEscalation escalation;
    private final CriticalNotificationSender sender;
    private final Clock clock;

    CriticalResultNotifier(Store store, CriticalResultEscalation escalation, CriticalNotificationSender sender, Clock clock) {
        this.store = store;
        this.escalation = escalation;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Opens (or finds, when already open) the critical result and sends its first notifications.
     * Returns its id. A notification that cannot be sent now is retried by the sweep; sending never
     * makes this call fail once the result is recorded.
     *
     * @throws IllegalArgumentException when the facility is not one RadLoop serves (nothing is recorded)
     */
    public long open(CriticalResult c) {
        String key = findingKey(c.finding());
        long id;
        try {
            id = store.fromTransaction(s -> {
                Long existing = existing(s, c, key);
                if (existing != null) return existing;
                if (s.find(Facility.class, c.facilityId()) == null) {
                    throw new IllegalArgumentException("unknown facility '" + c.facilityId() + "': no critical result opened");
                }
                Instant now = clock.instant();
                CriticalResultRecord r = new CriticalResultRecord(c.facilityId(), c.reportId(), key, c.accessionNumber(),
                        c.studyUid(), c.category(), c.finding(), c.orderingClinicianId(), c.signingRadiologistId(), now);
                s.persist(r);
                s.flush();
                CriticalResultEvents.record(s, r.getId(), now, CriticalResultEvents.OPENED, null, "critical-results",
                        "ACR category " + c.category() + " from report " + c.reportId() + "; ordering clinician "
                                + c.orderingClinicianId() + ", signing radiologist " + c.signingRadiologistId());
                escalation.advance(s, r, now, "critical finding in a signed report");
                return r.getId();
            });
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // Two callers racing on the same finding: the loser's insert breaks the unique key.
            Long existing = store.fromTransaction(s -> existing(s, c, key));
            if (existing == null) throw e;
            id = existing;
        }
        LOG.info("Critical result {} open (ACR category {}, facility {})", id, c.category(), c.facilityId());
        try {
            sender.sendDue(id);
        } catch (RuntimeException e) {
            LOG.warn("Sending the first notifications of critical result {} failed; the sweep tries again", id, e);
        }
        return id;
    }

    private static Long existing(Session s, CriticalResult c, String key) {
        return s.createQuery("select id from CriticalResultRecord where facilityId = :f and reportId = :r and findingKey = :k",
                        Long.class)
                .setParameter("f", c.facilityId()).setParameter("r", c.reportId()).setParameter("k", key)
                .uniqueResult();
    }

    /** Case and spacing do not make a finding new. */
    static String findingKey(String finding) {
        String normal = finding.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
