package org.radloop.triage;

import jakarta.persistence.LockModeType;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hibernate.Session;
import org.radloop.config.FacilityRegistry;
import org.radloop.engine.RadLoopMetrics;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.engine.StageSender;
import org.radloop.model.Store;
import org.radloop.model.Study;
import org.radloop.model.TriageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triage stage ({@code routes/triage.yaml}): for each {@code study/completed} message on
 * {@code radloop.triage}, loads the study's facts from the store, triages it ({@link StudyTriage}:
 * models, rules, priority), records the decision ({@link TriageRecorder}), marks the study TRIAGED,
 * and sends {@code study/triaged} to {@code radloop.route} with the decision's JMS priority.
 *
 * <p>Idempotent per completion. The decision and the TRIAGED state commit together, and the message
 * to routing carries the duplicate id {@code study-triaged:<uid>#<completion>}. A redelivered message
 * (the route's JMS commit failed after the database commit, or the same message arrives twice) finds
 * the study TRIAGED and only sends the same message again, which the broker drops if it already has
 * it: no second decision, no second message.
 *
 * <p>Failures: a model failing is StudyTriage's business and never stops a study. A store failure
 * throws, the JMS transaction rolls back, and the broker redelivers with backoff, then parks the
 * message on {@code radloop.triage.dlq}. So does a message for a study that is not (yet) handed to
 * triage: ingest sends the message inside its own database transaction, and this stage waits for
 * that transaction by locking the study row, but if the hand-off's commit failed the study is still
 * COMPLETE or RECEIVING and a later redelivery finds it handed off.
 */
public final class TriageStage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TriageStage.class);
    static final String COMPLETED = "completed";
    static final String TRIAGED = "triaged";

    /** What one message did. */
    public enum Outcome {
        /** Triaged now and handed to routing. */
        TRIAGED,
        /** Already triaged for this completion: the same routing message was sent again (the broker drops a repeat). */
        ALREADY_TRIAGED,
        /** The study changed (a late instance reopened it) while it was being triaged: its next completion is triaged instead. */
        SUPERSEDED,
        /** Not a study completion: nothing to do. */
        IGNORED
    }

    private final Store store;
    private final StudyFactsReader facts;
    private final StudyTriage triage;
    private final TriageRecorder recorder;
    private final TriageObserver observer;
    private final StageSender sender;
    private final Clock clock;
    private final RadLoopMetrics metrics;

    public TriageStage(Store store, FacilityRegistry facilities, StudyTriage triage, TriageRecorder recorder,
                       StageSender sender, Clock clock, RadLoopMetrics metrics, TriageObserver observer) {
        this.store = store;
        this.facts = new StudyFactsReader(facilities);
        this.triage = triage;
        this.recorder = recorder;
        this.observer = observer;
        this.sender = sender;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        onStageMessage(exchange.getMessage().getMandatoryBody(String.class));
    }

    /** @throws IllegalArgumentException for a body that is not a stage message (redelivered, then dead-lettered) */
    public Outcome onStageMessage(String json) {
        StageMessage m = StageMessage.fromJson(json);
        if (!"study".equals(m.kind()) || !COMPLETED.equals(m.event())) {
            LOG.debug("Ignoring {}/{} on the triage queue", m.kind(), m.event());
            return Outcome.IGNORED;
        }
        if (m.id() == null || m.id().isBlank()) throw new IllegalArgumentException("Study message without a Study Instance UID");
        return triage(m.id().trim());
    }

    /** Triages the study's current completion, or repeats its hand-off to routing if that is done already. */
    public Outcome triage(String studyUid) {
        long started = System.nanoTime();
        // 1. Read, with the row locked so that an ingest transaction still handing it off finishes first.
        Pending pending = store.fromTransaction(s -> {
            Study study = lockedStudy(s, studyUid);
            return switch (study.getState()) {
                case TRIAGE_QUEUED -> new Pending(study.getId(), study.getFacilityId(), study.getReopenCount(),
                        facts.read(s, study), null);
                case TRIAGED -> new Pending(study.getId(), study.getFacilityId(), study.getReopenCount(), null,
                        latestDecision(s, study));
                default -> throw new IllegalStateException("Study " + studyUid + " is " + study.getState()
                        + ", not handed to triage: redelivered until its hand-off commits");
            };
        });
        if (pending.done() != null) {
            sendToRouting(studyUid, pending, pending.done().getJmsPriority());
            LOG.info("Study {} was already triaged for completion {}; hand-off to routing repeated", pending.studyId(),
                    pending.completion() + 1);
            return Outcome.ALREADY_TRIAGED;
        }

        // 2. Models and rules, outside any transaction: a model may take seconds, the row stays free.
        Instant now = clock.instant();
        TriageDecision decision = triage.triage(pending.facts(), now);

        // 3. Record and mark TRIAGED in one commit, if the study is still at the same completion.
        boolean recorded = store.fromTransaction(s -> {
            Study study = lockedStudy(s, studyUid);
            if (study.getState() != Study.State.TRIAGE_QUEUED || study.getReopenCount() != pending.completion()) return false;
            recorder.record(s, study.getFacilityId(), studyUid, decision, now);
            study.triaged(now);
            return true;
        });
        if (!recorded) {
            LOG.info("Study {} changed while it was triaged (a late instance?); its next completion is triaged instead",
                    pending.studyId());
            return Outcome.SUPERSEDED;
        }
        // 4. Then routing: a failure here rolls the input back, and the redelivery only repeats this send.
        sendToRouting(studyUid, pending, decision.jmsPriority());
        try {
            observer.triaged(studyUid, pending.facts(), decision);
        } catch (RuntimeException e) {
            LOG.warn("A triage observer failed on study {}: {}", pending.studyId(), e.toString());
        }
        metrics.stageLatency(Stage.TRIAGE, Duration.ofNanos(System.nanoTime() - started));
        Counter.builder("radloop_triage_decisions").description("Studies triaged, by urgency class")
                .tag("urgency", decision.urgency().name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics.registry()).increment();
        LOG.info("Study {} of facility {} triaged {} (score {}, JMS priority {})", pending.studyId(), pending.facility(),
                decision.urgency(), String.format("%.1f", decision.score()), decision.jmsPriority());
        return Outcome.TRIAGED;
    }

    private void sendToRouting(String studyUid, Pending p, int jmsPriority) {
        sender.send(Stage.ROUTE, new StageMessage("study", studyUid, p.facility(), TRIAGED), jmsPriority,
                duplicateId(studyUid, p.completion()));
    }

    /** One routing message per study completion, however often triage runs for it. */
    static String duplicateId(String studyUid, int reopenCount) {
        return "study-triaged:" + studyUid + "#" + reopenCount;
    }

    private static Study lockedStudy(Session s, String studyUid) {
        Long id = s.createQuery("select id from Study where studyInstanceUid = :u", Long.class)
                .setParameter("u", studyUid).uniqueResult();
        if (id == null) throw new IllegalArgumentException("No study with Study Instance UID " + studyUid);
        return s.find(Study.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    private static TriageRecord latestDecision(Session s, Study study) {
        TriageRecord r = s.createQuery("from TriageRecord where facilityId = :f and studyUid = :u order by id desc",
                        TriageRecord.class)
                .setParameter("f", study.getFacilityId()).setParameter("u", study.getStudyInstanceUid())
                .setMaxResults(1).uniqueResult();
        if (r == null) throw new IllegalStateException("Study " + study.getStudyInstanceUid() + " is TRIAGED without a decision");
        return r;
    }

    /** @param facts to triage now, or null when {@code done} holds the decision already made for this completion */
    private record Pending(long studyId, String facility, int completion, StudyFacts facts, TriageRecord done) {
    }
}
