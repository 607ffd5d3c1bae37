package org.radloop.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.radloop.model.AuditEvent;
import org.radloop.model.QuarantinedInstance;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of DICOM quarantine: received files that could not be indexed, with why, kept so
 * that an analyst can fix the cause (say, add the modality's AE title to the facility file) and retry.
 *
 * <p>A file the indexer refuses is copied under {@code <data>/quarantine/dicom/} before the failure
 * status goes back, so the SCP may clean up its own copy after a failure and nothing is lost.
 */
public final class DicomQuarantine {

    private static final Logger LOG = LoggerFactory.getLogger(DicomQuarantine.class);

    /** What a retry did. */
    public record RetryOutcome(long id, String state, int retryCount, String error, String studyInstanceUid,
                               String indexOutcome) {
    }

    private final Store store;
    private final Path folder;
    private final Clock clock;

    public DicomQuarantine(Store store, Path folder, Clock clock) {
        this.store = store;
        this.folder = folder;
        this.clock = clock;
    }

    /** Keeps a copy of the refused file and records it; returns the quarantine id. */
    public long keep(InstanceArrival arrival, String reason) {
        Path kept = arrival.file();
        String why = reason;
        try {
            Files.createDirectories(folder);
            Path copy = folder.resolve(clock.millis() + "-" + UUID.randomUUID() + ".dcm");
            Files.copy(arrival.file(), copy, StandardCopyOption.COPY_ATTRIBUTES);
            kept = copy;
        } catch (IOException e) {
            why = reason + " (the file could not be copied to quarantine: " + e.getMessage() + ")";
            LOG.error("Quarantine copy of {} failed", arrival.file(), e);
        }
        return record(new InstanceArrival(kept, arrival.callingAeTitle(), arrival.remoteAddress(),
                arrival.sopInstanceUid(), arrival.transferSyntaxUid(), arrival.sha256(), arrival.fileSize()), why);
    }

    /** Records a file that is already kept where it lies (the SCP quarantined it itself). */
    public long record(InstanceArrival arrival, String reason) {
        return store.fromTransaction(s -> {
            QuarantinedInstance q = new QuarantinedInstance(arrival.file().toAbsolutePath().toString(), reason,
                    arrival.callingAeTitle(), arrival.remoteAddress(), arrival.sopInstanceUid(), clock.instant());
            s.persist(q);
            s.persist(new AuditEvent("dicom-ingest", "instance-quarantined", "quarantined_instance", q.getId(), reason));
            return q.getId();
        });
    }

    public List<QuarantinedInstance> list(QuarantinedInstance.State state, int limit) {
        return store.fromTransaction(s -> {
            var q = state == null
                    ? s.createQuery("from QuarantinedInstance order by receivedAt desc, id desc", QuarantinedInstance.class)
                    : s.createQuery("from QuarantinedInstance where state = :state order by receivedAt desc, id desc",
                            QuarantinedInstance.class).setParameter("state", state);
            return q.setMaxResults(limit).list();
        });
    }

    /**
     * Sends a kept file through the indexer again with the AE title it came with.
     *
     * @throws NoSuchElementException when there is no such quarantine entry
     * @throws IllegalStateException  when it was already released
     */
    public RetryOutcome retry(long id, DicomInstanceIndexer indexer, String actor) {
        QuarantinedInstance q = store.fromTransaction(s -> s.find(QuarantinedInstance.class, id));
        if (q == null) throw new NoSuchElementException("No quarantined instance " + id);
        if (q.getState() == QuarantinedInstance.State.RELEASED) {
            throw new IllegalStateException("Quarantined instance " + id + " was already released");
        }
        Instant now = clock.instant();
        try {
            DicomInstanceIndexer.Outcome outcome = indexer.index(
                    InstanceArrival.retryOf(Path.of(q.getFilePath()), q.getCallingAeTitle(), q.getRemoteAddress()));
            return store.fromTransaction(s -> {
                QuarantinedInstance row = s.find(QuarantinedInstance.class, id);
                row.released(outcome.facilityId(), outcome.studyInstanceUid(), now);
                s.persist(new AuditEvent(actor, "quarantine-released", "quarantined_instance", id,
                        "indexed as " + outcome.kind() + " into study " + outcome.studyId()));
                return new RetryOutcome(id, row.getState().name(), row.getRetryCount(), null,
                        outcome.studyInstanceUid(), outcome.kind().name());
            });
        } catch (InstanceRefusedException e) {
            return store.fromTransaction(s -> {
                QuarantinedInstance row = s.find(QuarantinedInstance.class, id);
                row.retryFailed(e.getMessage(), now);
                s.persist(new AuditEvent(actor, "quarantine-retry-failed", "quarantined_instance", id, e.getMessage()));
                return new RetryOutcome(id, row.getState().name(), row.getRetryCount(), e.getMessage(), null, null);
            });
        }
    }
}
