package org.radloop.ingest;

import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hibernate.Session;
import org.radloop.config.FacilityRegistry;
import org.radloop.dicom.DicomConstants;
import org.radloop.engine.RadLoopMetrics;
import org.radloop.engine.Stage;
import org.radloop.model.AuditEvent;
import org.radloop.model.GroupCommit;
import org.radloop.model.Instance;
import org.radloop.model.Series;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one durably stored DICOM instance into rows: its study, series and instance, in one
 * transaction that has committed when {@link #process} returns, because the storage SCP answers
 * C-STORE success only then. Resending the same bytes changes nothing; a different payload under
 * the same SOP Instance UID is kept as a new version and flagged on the study. An instance that
 * cannot be indexed goes to quarantine and the exception makes the SCP answer with a failure status.
 */
public final class DicomInstanceIndexer implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DicomInstanceIndexer.class);
    private static final String ACTOR = "dicom-ingest";
    private static final int MAX_GROUP = 32;

    /** NEW: first receipt. DUPLICATE: same bytes again, nothing changed. NEW_VERSION: same UID, different bytes. */
    public enum Kind { NEW, DUPLICATE, NEW_VERSION }

    public record Outcome(Kind kind, String facilityId, String studyInstanceUid, long studyId, int version) {
    }

    private final Store store;
    private final FacilityRegistry facilities;
    private final OrderMatcher matcher;
    private final DicomQuarantine quarantine;
    private final RadLoopMetrics metrics;
    private final Clock clock;
    private final PacsFollowUps pacs;
    /**
     * Instances arriving together on several associations share one transaction (and so one H2
     * commit, which costs more than the rows in it); each C-STORE response still waits for the
     * commit that holds its instance. A refusal in a shared transaction sends every instance of it
     * through its own transaction again, so one sender's bad instance never fails another's.
     */
    private final GroupCommit<Checked, Outcome> commits;
    /** Row ids of recent studies and series: a series' instances then find their rows by key, not by query. */
    private final RecentRows ids = new RecentRows();

    public DicomInstanceIndexer(Store store, FacilityRegistry facilities, OrderMatcher matcher,
                                DicomQuarantine quarantine, RadLoopMetrics metrics, Clock clock, PacsFollowUps pacs) {
        this.pacs = pacs;
        this.store = store;
        this.facilities = facilities;
        this.matcher = matcher;
        this.quarantine = quarantine;
        this.metrics = metrics;
        this.clock = clock;
        this.commits = new GroupCommit<>(store, MAX_GROUP, this::apply,
                c -> TransientFailures.retry(() -> store.fromTransaction(s -> apply(s, c))));
    }

    @Override
    public void process(Exchange exchange) {
        long started = System.nanoTime();
        var in = exchange.getMessage();
        String callingAe = in.getHeader(DicomConstants.CALLING_AE_TITLE, String.class);
        String scpQuarantined = in.getHeader(DicomConstants.QUARANTINE_REASON, String.class);
        if (scpQuarantined != null && !scpQuarantined.isBlank()) {
            // The SCP refused it, kept it aside (possibly without bytes) and chose the status itself;
            // the database side of quarantine is ours, so the analyst sees it next to our refusals.
            long id = quarantine.record(InstanceArrival.fromRefused(in), scpQuarantined);
            metrics.messageIn("dicom", null, null, "quarantined");
            LOG.warn("Instance from AE {} quarantined by the SCP as #{}: {}", callingAe, id, scpQuarantined);
            return;
        }
        InstanceArrival arrival;
        try {
            arrival = InstanceArrival.from(in);
        } catch (InstanceRefusedException e) {
            metrics.error("dicom", null, "no-file");
            throw e;
        }
        try {
            Outcome outcome = index(arrival, in.getHeader(DicomConstants.DURABLE, CompletableFuture.class));
            exchange.getMessage().setHeader("RadLoopStudyInstanceUid", outcome.studyInstanceUid());
            exchange.getMessage().setHeader("RadLoopIndexOutcome", outcome.kind().name());
            metrics.messageIn("dicom", outcome.facilityId(), null, outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
            metrics.stageLatency(Stage.INGEST, Duration.ofNanos(System.nanoTime() - started));
        } catch (InstanceRefusedException e) {
            long id = quarantine.keep(arrival, e.getMessage());
            metrics.error("dicom", null, "quarantined");
            LOG.warn("Instance from AE {} refused and quarantined as #{}: {}", callingAe, id, e.getMessage());
            throw e;
        }
    }

    /**
     * Indexes one stored file.
     *
     * @throws InstanceRefusedException when the file cannot be indexed as sent; nothing was written
     */
    public Outcome index(InstanceArrival arrival) {
        return index(arrival, null);
    }

    private Outcome index(InstanceArrival arrival, CompletableFuture<?> durable) {
        String facilityId = facilities.byCallingAeTitle(arrival.callingAeTitle())
                .map(f -> f.config().id())
                .orElseThrow(() -> new InstanceRefusedException("calling AE title '" + arrival.callingAeTitle()
                        + "' belongs to no configured facility"));
        if (!Files.isRegularFile(arrival.file())) {
            throw new InstanceRefusedException("stored file " + arrival.file() + " does not exist");
        }
        DicomHeader h = DicomHeader.read(arrival.file());
        if (arrival.sopInstanceUid() != null && !arrival.sopInstanceUid().trim().equals(h.sopInstanceUid())) {
            throw new InstanceRefusedException("the file's SOP Instance UID differs from the one sent in the C-STORE request");
        }
        String sha;
        long size;
        try {
            sha = arrival.sha256() != null && !arrival.sha256().isBlank() ? arrival.sha256().toLowerCase(java.util.Locale.ROOT)
                    : DataSetDigest.sha256Hex(arrival.file());
            size = arrival.fileSize() != null ? arrival.fileSize() : Files.size(arrival.file());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + arrival.file(), e);
        }
        String transferSyntax = arrival.transferSyntaxUid() != null ? arrival.transferSyntaxUid() : h.transferSyntaxUid();
        if (durable != null) {
            // The rows may only commit once the file they point to survives a crash where they say.
            // Waited for here, while the header read and digest above overlapped the SCP's folder
            // fsync, and not inside the transaction: there it held the group commit and the study
            // row's lock, so one slow fsync stalled every association storing at that moment.
            try {
                durable.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("the stored file's folder could not be synced: " + e.getCause(), e.getCause());
            }
        }
        Outcome outcome = commits.commit(new Checked(facilityId, h, arrival, sha, size, transferSyntax));
        LOG.debug("Indexed instance {} of study {}: {}", h.sopInstanceUid(), outcome.studyInstanceUid(), outcome.kind());
        return outcome;
    }

    /** One instance read and checked, its file durable in place, waiting for its transaction. */
    private record Checked(String facilityId, DicomHeader h, InstanceArrival arrival, String sha, long size,
                           String transferSyntax) {
    }

    private Outcome apply(Session s, Checked c) {
        return apply(s, c.facilityId(), c.h(), c.arrival(), c.sha(), c.size(), c.transferSyntax());
    }

    private Outcome apply(Session s, String facilityId, DicomHeader h, InstanceArrival arrival, String sha, long size,
                          String transferSyntax) {
        Instant now = clock.instant();
        Study study = ids.study(s, h.studyInstanceUid());
        if (study == null) {
            study = s.createQuery("from Study where studyInstanceUid = :uid", Study.class)
                    .setParameter("uid", h.studyInstanceUid())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .uniqueResult();
        }
        boolean created = study == null;
        if (created) {
            // Two associations may insert the same study at once: the unique key makes the loser
            // fail here, and TransientFailures runs it again to find and lock the winner's row.
            study = new Study(facilityId, h.studyInstanceUid(), now);
            s.persist(study);
            s.flush();
            s.persist(new AuditEvent(ACTOR, "study-created", "study", study.getId(), "facility " + facilityId));
            if (pacs.isRequestedPrior(s, h.studyInstanceUid())) {
                // Moved here by the PACS because RadLoop asked for it as a prior of another study.
                study.holdAsPrior(now);
                s.persist(new AuditEvent(ACTOR, "prior-received", "study", study.getId(), "held as a prior, not a new exam"));
            }
        } else if (!study.getFacilityId().equals(facilityId)) {
            study.flag(Study.FACILITY_CONFLICT, "instance " + h.sopInstanceUid() + " came from AE "
                    + arrival.callingAeTitle() + " of facility " + facilityId);
        }
        ids.rememberStudy(study);
        study.describe(h.accessionNumber(), h.patientId(), h.patientName(), h.patientSex(), h.patientBirthDate(),
                h.studyDate(), h.studyTime(), h.studyDescription());

        Instance current = s.createQuery("from Instance where sopInstanceUid = :uid and currentVersion = true", Instance.class)
                .setParameter("uid", h.sopInstanceUid())
                .uniqueResult();
        if (current != null && current.getSha256().equalsIgnoreCase(sha)) {
            return new Outcome(Kind.DUPLICATE, study.getFacilityId(), study.getStudyInstanceUid(), study.getId(),
                    current.getVersion());
        }

        Series series = ids.series(s, h.seriesInstanceUid());
        if (series == null) {
            series = s.createQuery("from Series where seriesInstanceUid = :uid", Series.class)
                    .setParameter("uid", h.seriesInstanceUid())
                    .uniqueResult();
        }
        if (series == null) {
            series = new Series(study.getId(), h.seriesInstanceUid(), h.modality(), h.bodyPart(), h.laterality(),
                    h.seriesDescription(), h.seriesNumber(), now);
            s.persist(series);
            study.addSeries();
        } else if (!series.getStudyId().equals(study.getId())) {
            throw new InstanceRefusedException("Series Instance UID " + h.seriesInstanceUid()
                    + " already belongs to another study");
        }

        ids.rememberSeries(series);
        int version = 1;
        Kind kind = Kind.NEW;
        if (current != null) {
            kind = Kind.NEW_VERSION;
            version = current.getVersion() + 1;
            current.supersede();
            Series oldSeries = s.find(Series.class, current.getSeriesId());
            oldSeries.count(-1, -current.getSizeBytes());
            Study oldStudy = current.getStudyId().equals(study.getId()) ? study
                    : s.find(Study.class, current.getStudyId(), LockModeType.PESSIMISTIC_WRITE);
            oldStudy.count(-1, -current.getSizeBytes());
            study.flag(Study.INSTANCE_REPLACED, "SOP instance " + h.sopInstanceUid()
                    + " received again with a different payload (now version " + version + ")");
            s.persist(new AuditEvent(ACTOR, "instance-replaced", "study", study.getId(),
                    "SOP instance " + h.sopInstanceUid() + " version " + version + ", sha256 " + sha));
        }
        Instance instance = new Instance(study.getId(), series.getId(), h.sopInstanceUid(), h.sopClassUid(), transferSyntax,
                arrival.file().toAbsolutePath().toString(), size, sha, h.instanceNumber(), version,
                kind == Kind.NEW_VERSION, arrival.callingAeTitle(), now);
        s.persist(instance);
        series.count(1, size);
        study.count(1, size);
        study.addModality(h.modality());
        study.noteBodyPart(h.bodyPart());
        study.instanceArrived(now);
        if (study.reopenIfDone(now)) {
            s.persist(new AuditEvent(ACTOR, "study-reopened", "study", study.getId(),
                    "late instance " + h.sopInstanceUid() + "; reopened " + study.getReopenCount() + " time(s)"));
            LOG.info("Study {} of facility {} reopened by a late instance", study.getId(), study.getFacilityId());
        }
        if (created) matcher.matchStudy(s, study, now);
        pacs.instanceIndexed(s, study, instance, created, now);
        return new Outcome(kind, study.getFacilityId(), study.getStudyInstanceUid(), study.getId(), version);
    }
}
