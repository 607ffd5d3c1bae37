package org.radloop.ingest;

import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when studies are complete ({@link CompletionRule}) and hands complete, matched ones to
 * triage. Run by {@code routes/study-completion.yaml} on a timer; the time comes from an injected
 * {@link Clock} so that tests can move it.
 *
 * <p>Each study is completed in its own transaction with its row locked and the rule checked again,
 * so several nodes sweeping at once, or an instance arriving during the sweep, cannot complete a
 * study twice. A hand-off that failed (broker down) is retried by the next sweep.
 */
public final class StudyCompletionDetector {

    private static final Logger LOG = LoggerFactory.getLogger(StudyCompletionDetector.class);

    private final Store store;
    private final FacilityRegistry facilities;
    private final OrderMatcher matcher;
    private final TriageHandoff handoff;
    private final Clock clock;
    private final Duration defaultQuietPeriod;

    public StudyCompletionDetector(Store store, FacilityRegistry facilities, OrderMatcher matcher, TriageHandoff handoff,
                                   Clock clock, Duration defaultQuietPeriod) {
        this.store = store;
        this.facilities = facilities;
        this.matcher = matcher;
        this.handoff = handoff;
        this.clock = clock;
        this.defaultQuietPeriod = defaultQuietPeriod;
    }

    /** One pass: completes the studies that are due and retries pending hand-offs. Returns how many completed. */
    public int sweep() {
        Instant now = clock.instant();
        List<Object[]> receiving = store.fromTransaction(s -> s.createQuery(
                        "select s.id, s.facilityId, s.lastInstanceAt, s.reopenCount, o.status from Study s"
                                + " left join ImagingOrder o on o.id = s.orderId where s.state = :st", Object[].class)
                .setParameter("st", Study.State.RECEIVING).list());
        int completed = 0;
        for (Object[] row : receiving) {
            long id = (Long) row[0];
            if (!looksDue((String) row[1], (Instant) row[2], (Integer) row[3], (ImagingOrder.Status) row[4], now)) continue;
            try {
                if (Boolean.TRUE.equals(TransientFailures.retry(() -> store.fromTransaction(s -> {
                    Study study = s.find(Study.class, id, LockModeType.PESSIMISTIC_WRITE);
                    if (study == null) return false;
                    ImagingOrder.Status status = study.getOrderId() == null ? null
                            : s.find(ImagingOrder.class, study.getOrderId()).getStatus();
                    String why = CompletionRule.reason(study, status, quietPeriod(study.getFacilityId()), now);
                    if (why == null) return false;
                    // Last look for its order before it waits in the unmatched list.
                    matcher.matchStudy(s, study, now);
                    handoff.complete(s, study, now, why);
                    return true;
                })))) completed++;
            } catch (RuntimeException e) {
                LOG.error("Completing study {} failed; the next sweep tries again", id, e);
            }
        }
        List<Long> pending = store.fromTransaction(s -> s.createQuery(
                        "select id from Study where state = :st and orderId is not null", Long.class)
                .setParameter("st", Study.State.COMPLETE).list());
        for (Long id : pending) {
            try {
                TransientFailures.retry(() -> store.fromTransaction(s -> {
                    Study study = s.find(Study.class, id, LockModeType.PESSIMISTIC_WRITE);
                    if (study != null) handoff.handOffIfMatched(s, study, now);
                    return null;
                }));
            } catch (RuntimeException e) {
                LOG.error("Handing study {} to triage failed; the next sweep tries again", id, e);
            }
        }
        return completed;
    }

    private boolean looksDue(String facilityId, Instant lastInstanceAt, int reopenCount, ImagingOrder.Status status,
                             Instant now) {
        if (!now.isBefore(lastInstanceAt.plus(quietPeriod(facilityId)))) return true;
        return status == ImagingOrder.Status.COMPLETED && reopenCount == 0;
    }

    /** The facility's quiet period, else the engine default. */
    Duration quietPeriod(String facilityId) {
        return facilities.byId(facilityId)
                .map(f -> f.config().dicom())
                .map(FacilityConfig.Dicom::studyQuietPeriodSeconds)
                .map(Duration::ofSeconds)
                .orElse(defaultQuietPeriod);
    }
}
