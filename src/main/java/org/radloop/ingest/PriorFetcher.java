package org.radloop.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RetryPolicy;
import org.radloop.dicom.DicomConstants;
import org.radloop.model.AuditEvent;
import org.radloop.model.PriorSearch;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.radloop.model.StudyPrior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a new study's priors from its facility's PACS, for {@code routes/prior-fetch.yaml}: C-FIND
 * (study root) by patient ID, every earlier study recorded on the study with its relevance
 * ({@link PriorRelevance}), the {@code priorCount} most relevant chosen, and each chosen one C-MOVEd
 * to RadLoop's own AE title.
 *
 * <p>Why the choice is committed before the C-MOVE: the PACS delivers a moved study to RadLoop's
 * storage SCP like any modality would, and the indexer must know, when that study's first instance
 * arrives, that it is a prior (held as {@link Study.State#PRIOR}) and not a new exam that would wait
 * for an order and go to triage. A prior the facility had already sent RadLoop is not moved again.
 */
public final class PriorFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(PriorFetcher.class);
    private static final DateTimeFormatter DICOM_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int MAX_RECORDED = 50;
    /** Longer than a C-FIND and the C-MOVEs of a few studies take, even from a slow PACS. */
    private static final java.time.Duration LEASE = java.time.Duration.ofMinutes(15);

    private final Store store;
    private final FacilityRegistry facilities;
    private final Supplier<CamelContext> camel;
    private final Clock clock;
    private final RetryPolicy retry;
    private final String ownAeTitle;
    private volatile ProducerTemplate producer;

    public PriorFetcher(Store store, FacilityRegistry facilities, Supplier<CamelContext> camel, Clock clock, RetryPolicy retry,
                        String ownAeTitle) {
        this.store = store;
        this.facilities = facilities;
        this.camel = camel;
        this.clock = clock;
        this.retry = retry;
        this.ownAeTitle = ownAeTitle;
    }

    /** Runs every prior search that is due; returns how many finished with all their chosen priors here. */
    public int runDue() {
        Instant now = clock.instant();
        List<Long> due = store.fromTransaction(s -> s.createSelectionQuery(
                        "select p.id from PriorSearch p where p.state = :st and p.retry.nextAttemptAt <= :now order by p.id", Long.class)
                .setParameter("st", PriorSearch.State.PENDING).setParameter("now", now).setMaxResults(20).getResultList());
        int done = 0;
        for (Long id : due) {
            try {
                if (run(id)) done++;
            } catch (RuntimeException e) {
                LOG.error("Prior search {} failed unexpectedly; it is retried", id, e);
                finish(id, e.toString());
            }
        }
        return done;
    }

    /** What one search needs to know about its study, read in one transaction. */
    private record Subject(long searchId, long studyId, String studyUid, String facilityId, String patientId,
                           LocalDate studyDate, Set<String> modalities, String bodyPart) {
    }

    private boolean run(long searchId) {
        Instant now = clock.instant();
        Subject subject = store.fromTransaction(s -> {
            PriorSearch search = s.find(PriorSearch.class, searchId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (search == null || search.getState() != PriorSearch.State.PENDING || search.getNextAttemptAt().isAfter(now)) {
                return null;
            }
            search.started(now, now.plus(LEASE));
            Study st = s.find(Study.class, search.getStudyId());
            return new Subject(searchId, st.getId(), st.getStudyInstanceUid(), st.getFacilityId(), st.getDicomPatientId(),
                    st.getStudyDate(), st.getModalities(), st.getBodyPart());
        });
        if (subject == null) return false;
        FacilityConfig.Pacs pacs = facilities.byId(subject.facilityId()).flatMap(f -> f.config().pacs()).orElse(null);
        if (pacs == null || !pacs.fetchesPriors()) {
            return finish(searchId, "facility " + subject.facilityId() + " no longer fetches priors from a PACS");
        }
        List<Map<String, String>> found;
        try {
            found = find(pacs, subject.patientId());
        } catch (Exception e) {
            return finish(searchId, "C-FIND on " + pacs.aeTitle() + " failed: " + message(e));
        }
        List<String> toMove = recordCandidates(subject, pacs, found, now);
        List<String> errors = new ArrayList<>();
        for (String priorUid : toMove) {
            String error = null;
            try {
                move(pacs, priorUid);
            } catch (Exception e) {
                error = "C-MOVE from " + pacs.aeTitle() + " failed: " + message(e);
            }
            String outcome = markRetrieved(subject.studyId(), priorUid, error);
            if (outcome != null) errors.add(outcome);
        }
        return finish(searchId, errors.isEmpty() ? null : String.join("; ", errors));
    }

    private List<Map<String, String>> find(FacilityConfig.Pacs pacs, String patientId) throws Exception {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("QueryRetrieveLevel", "STUDY");
        keys.put("PatientID", patientId);
        keys.put("StudyInstanceUID", "");
        keys.put("StudyDate", "");
        keys.put("StudyDescription", "");
        keys.put("ModalitiesInStudy", "");
        keys.put("BodyPartExamined", "");
        keys.put("NumberOfStudyRelatedInstances", "");
        Exchange done = producer().request(uri("find", pacs), e -> e.getIn().setHeader(DicomConstants.QUERY, keys));
        if (done.getException() != null) throw done.getException();
        @SuppressWarnings("unchecked")
        List<Map<String, String>> rows = done.getMessage().getBody(List.class);
        return rows == null ? List.of() : rows;
    }

    private void move(FacilityConfig.Pacs pacs, String studyUid) throws Exception {
        Exchange done = producer().request(uri("move", pacs), e -> {
            e.getIn().setHeader(DicomConstants.QUERY, Map.of("QueryRetrieveLevel", "STUDY", "StudyInstanceUID", studyUid));
            e.getIn().setHeader(DicomConstants.MOVE_DESTINATION, ownAeTitle);
        });
        if (done.getException() != null) throw done.getException();
    }

    private String uri(String operation, FacilityConfig.Pacs pacs) {
        return "dicom:" + operation + "?aeTitle=" + ownAeTitle + "&remoteAeTitle=" + pacs.aeTitle().trim()
                + "&remoteHost=" + pacs.host() + "&remotePort=" + pacs.port()
                // a PACS that accepts and never answers must not hold the prior search (Camel fills these in)
                + "&connectTimeout={{radloop.dicom.scu.connect.timeout.ms:10000}}&responseTimeout={{radloop.dicom.scu.timeout.ms:60000}}";
    }

    /** Records what the PACS has, chooses the priors and marks them; returns the UIDs to move. */
    private List<String> recordCandidates(Subject subject, FacilityConfig.Pacs pacs, List<Map<String, String>> found, Instant now) {
        LocalDate reference = subject.studyDate() != null ? subject.studyDate()
                : LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).plusDays(1);
        List<PriorRelevance.Candidate> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, String> row : found) {
            String uid = blankToNull(row.get("StudyInstanceUID"));
            if (uid == null || uid.equals(subject.studyUid()) || !seen.add(uid)) continue;
            LocalDate date = date(row.get("StudyDate"));
            // Only earlier exams are priors; a same-day or later one may be an exam still arriving.
            if (date == null || !date.isBefore(reference)) continue;
            if (pacs.priorMaxAgeYears() != null && date.isBefore(reference.minusYears(pacs.priorMaxAgeYears()))) continue;
            Set<String> modalities = PriorRelevance.modalities(row.get("ModalitiesInStudy"));
            String bodyPart = blankToNull(row.get("BodyPartExamined"));
            String description = blankToNull(row.get("StudyDescription"));
            candidates.add(new PriorRelevance.Candidate(uid, date, description, modalities, bodyPart,
                    integer(row.get("NumberOfStudyRelatedInstances")),
                    PriorRelevance.score(subject.modalities(), subject.bodyPart(), modalities, bodyPart, description)));
        }
        candidates.sort(PriorRelevance.MOST_RELEVANT_FIRST);
        if (candidates.size() > MAX_RECORDED) candidates = candidates.subList(0, MAX_RECORDED);
        Set<String> chosen = new HashSet<>();
        for (PriorRelevance.Candidate c : PriorRelevance.choose(candidates, pacs.priorsWanted())) chosen.add(c.studyUid());
        List<PriorRelevance.Candidate> all = candidates;
        return TransientFailures.retry(() -> store.fromTransaction(s -> {
            Map<String, StudyPrior> existing = new HashMap<>();
            for (StudyPrior p : s.createSelectionQuery("from StudyPrior p where p.studyId = :id", StudyPrior.class)
                    .setParameter("id", subject.studyId()).getResultList()) existing.put(p.getPriorStudyUid(), p);
            List<String> toMove = new ArrayList<>();
            for (PriorRelevance.Candidate c : all) {
                StudyPrior p = existing.get(c.studyUid());
                if (p == null) {
                    p = new StudyPrior(subject.studyId(), c.studyUid(), now);
                    s.persist(p);
                }
                p.describe(c.date(), c.description(), String.join(",", c.modalities()), c.bodyPart(), c.instances(), c.relevance());
                boolean done = p.getState() == StudyPrior.State.RETRIEVED || p.getState() == StudyPrior.State.ALREADY_HELD;
                if (done) continue;
                if (!chosen.contains(c.studyUid())) {
                    p.notSelected();
                    continue;
                }
                Study local = s.createSelectionQuery("from Study where studyInstanceUid = :u", Study.class)
                        .setParameter("u", c.studyUid()).uniqueResult();
                // Already here as an exam of its own, or as a prior someone retrieved in full. A prior
                // whose earlier move broke off is moved again: the PACS resends, RadLoop keeps one copy.
                if (local != null && (local.getState() != Study.State.PRIOR || retrievedBefore(s, c.studyUid()))) {
                    p.retrieved(local.getId(), true, now);
                } else {
                    p.retrieving();
                    toMove.add(c.studyUid());
                }
            }
            s.persist(new AuditEvent("prior-fetch", "priors-found", "study", subject.studyId(),
                    all.size() + " earlier stud(ies) on " + pacs.aeTitle() + ", " + chosen.size() + " chosen, "
                            + toMove.size() + " to retrieve"));
            return toMove;
        }));
    }

    private static boolean retrievedBefore(org.hibernate.Session s, String priorUid) {
        return s.createSelectionQuery("select count(p) from StudyPrior p where p.priorStudyUid = :u and p.state = :st", Long.class)
                .setParameter("u", priorUid).setParameter("st", StudyPrior.State.RETRIEVED).getSingleResult() > 0;
    }

    /** After a C-MOVE: the prior is RETRIEVED when its study is now here. Returns an error text, or null. */
    private String markRetrieved(long studyId, String priorUid, String moveError) {
        Instant now = clock.instant();
        return TransientFailures.retry(() -> store.fromTransaction(s -> {
            StudyPrior p = s.createSelectionQuery("from StudyPrior p where p.studyId = :id and p.priorStudyUid = :u", StudyPrior.class)
                    .setParameter("id", studyId).setParameter("u", priorUid).uniqueResult();
            Long local = s.createSelectionQuery("select id from Study where studyInstanceUid = :u", Long.class)
                    .setParameter("u", priorUid).uniqueResult();
            if (moveError == null && local != null) {
                p.retrieved(local, false, now);
                return null;
            }
            String error = moveError != null ? moveError : "the PACS answered the C-MOVE but sent no instance of " + priorUid;
            // The search's retry chooses it again and moves it again.
            p.failed(error);
            return error;
        }));
    }

    /** Ends one attempt: DONE without error, else a retry after the backoff (or FAILED). */
    private boolean finish(long searchId, String error) {
        Instant now = clock.instant();
        return TransientFailures.retry(() -> store.fromTransaction(s -> {
            PriorSearch search = s.find(PriorSearch.class, searchId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (search == null) return false;
            if (error == null) {
                search.done(now);
                return true;
            }
            Instant next = retry.nextAttempt(search.getAttempts(), now);
            search.attemptFailed(error, now, next);
            LOG.warn("Prior search for study {} failed (attempt {}){}: {}", search.getStudyId(), search.getAttempts(),
                    next == null ? ", no attempts left" : ", retried at " + next, error);
            return false;
        }));
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) producer = camel.get().createProducerTemplate();
                p = producer;
            }
        }
        return p;
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static LocalDate date(String v) {
        if (v == null || v.isBlank()) return null;
        try {
            return LocalDate.parse(v.trim().substring(0, Math.min(8, v.trim().length())), DICOM_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer integer(String v) {
        try {
            return v == null || v.isBlank() ? null : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
