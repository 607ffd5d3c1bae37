package org.radloop.ingest;

import jakarta.persistence.LockModeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RetryPolicy;
import org.radloop.dicom.DicomConstants;
import org.radloop.engine.RadLoopMetrics;
import org.radloop.model.AuditEvent;
import org.radloop.model.ForwardingTask;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code routes/forward-to-pacs.yaml}: claim the forwarding tasks that are due, grouped
 * per study so that a study's instances travel together (one association per transfer syntax), and
 * record each transfer's outcome per instance: SENT, or a retry after a backoff
 * ({@link RetryPolicy}), or FAILED once the attempts are used up.
 *
 * <p>A claim lasts {@code claim}; a process killed during a transfer leaves SENDING tasks that are due
 * again once their claim has run out, so a crash can send an instance twice (a PACS keeps one copy
 * of a SOP instance) but never loses one.
 */
public final class InstanceForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceForwarder.class);
    /** Exchange property holding the batch being sent. */
    public static final String BATCH = "RadLoopForwardingBatch";
    public static final String PACS_AE_TITLE = "RadLoopPacsAeTitle";
    public static final String PACS_HOST = "RadLoopPacsHost";
    public static final String PACS_PORT = "RadLoopPacsPort";

    private final Store store;
    private final FacilityRegistry facilities;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Duration claim;
    private final int batchSize;
    private final RadLoopMetrics metrics;

    public InstanceForwarder(Store store, FacilityRegistry facilities, Clock clock, RetryPolicy retry, Duration claim,
                             int batchSize, RadLoopMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.facilities = facilities;
        this.clock = clock;
        this.retry = retry;
        this.claim = claim;
        this.batchSize = batchSize;
    }

    /** Claims the due tasks (at most the batch size) and returns them as one batch per study. */
    public List<ForwardingBatch> due() {
        Instant now = clock.instant();
        return TransientFailures.retry(() -> store.fromTransaction(s -> {
            List<ForwardingTask> tasks = s.createSelectionQuery("from ForwardingTask t where"
                            + " (t.state = :pending and t.retry.nextAttemptAt <= :now)"
                            + " or (t.state = :sending and t.claimedUntil < :now) order by t.id", ForwardingTask.class)
                    .setParameter("pending", ForwardingTask.State.PENDING)
                    .setParameter("sending", ForwardingTask.State.SENDING)
                    .setParameter("now", now)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .setMaxResults(batchSize)
                    .getResultList();
            Map<Long, List<ForwardingTask>> byStudy = new LinkedHashMap<>();
            for (ForwardingTask t : tasks) byStudy.computeIfAbsent(t.getStudyId(), k -> new ArrayList<>()).add(t);
            List<ForwardingBatch> batches = new ArrayList<>();
            for (List<ForwardingTask> study : byStudy.values()) {
                ForwardingTask first = study.get(0);
                FacilityConfig.Pacs pacs = facilities.byId(first.getFacilityId()).flatMap(f -> f.config().pacs()).orElse(null);
                List<ForwardingBatch.Item> items = new ArrayList<>();
                for (ForwardingTask t : study) {
                    t.claim(now, now.plus(claim));
                    if (pacs == null) {
                        fail(t, "facility " + t.getFacilityId() + " has no dicom.pacs any more", now);
                    } else if (!Files.isRegularFile(Path.of(t.getFilePath()))) {
                        fail(t, "the stored file is missing: " + t.getFilePath(), now);
                    } else {
                        items.add(new ForwardingBatch.Item(t.getId(), Path.of(t.getFilePath())));
                    }
                }
                if (!items.isEmpty()) {
                    batches.add(new ForwardingBatch(first.getFacilityId(), first.getStudyId(), pacs.aeTitle().trim(),
                            pacs.host(), pacs.port(), items));
                }
            }
            return batches;
        }));
    }

    /** Puts a batch on the exchange the way the dicom-store-sink Kamelet wants it. */
    public void prepare(Exchange exchange) {
        ForwardingBatch batch = exchange.getMessage().getBody(ForwardingBatch.class);
        exchange.setProperty(BATCH, batch);
        var m = exchange.getMessage();
        m.setHeader(PACS_AE_TITLE, batch.aeTitle());
        m.setHeader(PACS_HOST, batch.host());
        m.setHeader(PACS_PORT, batch.port());
        m.setHeader(DicomConstants.FILES, batch.files());
    }

    /** The PACS accepted every instance of the batch. */
    public void sent(Exchange exchange) {
        ForwardingBatch batch = exchange.getProperty(BATCH, ForwardingBatch.class);
        record(batch, Set.of(), null);
        LOG.info("Forwarded {} instance(s) of study {} to {}", batch.items().size(), batch.studyId(), batch.aeTitle());
    }

    /**
     * The transfer failed, for some instances (header {@code RadLoopDicomFailedFiles}) or all of them
     * (no association): those are retried later, the others are SENT.
     */
    public void failed(Exchange exchange) {
        ForwardingBatch batch = exchange.getProperty(BATCH, ForwardingBatch.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = cause == null ? "transfer failed" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause != null && cause.getCause() != null && cause.getCause().getMessage() != null) {
            error = error + " (" + cause.getCause().getMessage() + ")";
        }
        Object reported = exchange.getMessage().getHeader(DicomConstants.FAILED_FILES);
        Set<Path> failedFiles = new HashSet<>();
        if (reported instanceof Collection<?> c && !c.isEmpty()) {
            for (Object o : c) failedFiles.add(normal(Path.of(o.toString())));
        } else {
            for (ForwardingBatch.Item i : batch.items()) failedFiles.add(normal(i.file()));
        }
        record(batch, failedFiles, error);
        LOG.warn("Forwarding to {} failed for {} of {} instance(s) of study {}: {}", batch.aeTitle(), failedFiles.size(),
                batch.items().size(), batch.studyId(), error);
    }

    private void record(ForwardingBatch batch, Set<Path> failedFiles, String error) {
        Instant now = clock.instant();
        TransientFailures.retry(() -> store.fromTransaction(s -> {
            int sent = 0;
            int failedForGood = 0;
            for (ForwardingBatch.Item item : batch.items()) {
                ForwardingTask t = s.find(ForwardingTask.class, item.taskId(), LockModeType.PESSIMISTIC_WRITE);
                if (t == null || t.getState() != ForwardingTask.State.SENDING) continue; // an analyst's requeue won
                if (failedFiles.contains(normal(item.file()))) {
                    boolean forGood = fail(t, error, now);
                    if (forGood) failedForGood++;
                    metrics.messageOut("dicom-forward", batch.facilityId(), "C-STORE", forGood ? "failed" : "retry");
                } else {
                    t.sent(now);
                    sent++;
                    metrics.messageOut("dicom-forward", batch.facilityId(), "C-STORE", "sent");
                }
            }
            if (failedForGood > 0) {
                s.persist(new AuditEvent("forwarding", "forwarding-failed", "study", batch.studyId(),
                        failedForGood + " instance(s) to " + batch.aeTitle() + " failed after all attempts: " + error));
            }
            return sent;
        }));
    }

    /** @return whether the task is now FAILED for good */
    private boolean fail(ForwardingTask t, String error, Instant now) {
        Instant next = retry.nextAttempt(t.getAttempts(), now);
        t.attemptFailed(error, now, next);
        return next == null;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
