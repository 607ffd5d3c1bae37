package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.model.ImagingOrder;
import org.radloop.model.Study;

/**
 * A study's way from its first instance to the triage queue: completion after the quiet period (the
 * test moves the engine's clock), reopening by a late instance, matching to an order that came
 * before or after it, demographics checks, and exactly one triage message per completion.
 */
class StudyLoopTest {

    @TempDir
    static Path folder;

    static RadLoopEngine engine;
    static ScpStandIn scp;
    static TriageQueueWatcher triage;
    static MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    static StudyCompletionDetector detector;
    static OrderMatcher matcher;

    /** st-marys (conf/facilities/st-marys.yaml) has a 5 second quiet period. */
    static final Duration PAST_QUIET = Duration.ofSeconds(6);

    @BeforeAll
    static void start() throws Exception {
        Properties p = StudyEngines.settings(folder);
        engine = StudyEngines.start(p, clock);
        scp = new ScpStandIn(engine);
        triage = new TriageQueueWatcher(engine);
        detector = engine.camel().getRegistry().lookupByNameAndType("studyCompletionDetector", StudyCompletionDetector.class);
        matcher = engine.camel().getRegistry().lookupByNameAndType("orderMatcher", OrderMatcher.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (triage != null) triage.close();
        if (engine != null) engine.close();
    }

    @Test
    void completesAfterTheQuietPeriodAndGoesRoundAgainOnALateInstance() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("quiet")).accession("Q-1")
                .patient("MRN-Q-1", "Quiet^Quentin", "M", "19600101");
        String series = DicomSamples.uid();
        scp.storeOk(b.instance(DicomSamples.CT, series, 1), "STM_CT1");
        scp.storeOk(b.instance(DicomSamples.CT, series, 2), "STM_CT1");

        clock.advance(Duration.ofSeconds(4));
        detector.sweep();
        assertThat(StudyEngines.study(engine, b.studyUid).getState()).as("4 s into a 5 s quiet period")
                .isEqualTo(Study.State.RECEIVING);

        clock.advance(Duration.ofSeconds(2));
        Instant completedAt = clock.instant();
        await().atMost(Duration.ofSeconds(10)).until(() -> StudyEngines.study(engine, b.studyUid).getState() == Study.State.COMPLETE);
        Study complete = StudyEngines.study(engine, b.studyUid);
        assertThat(complete.getCompletedAt()).isEqualTo(completedAt);
        assertThat(complete.getOrderId()).as("no order: waits in the unmatched list").isNull();
        assertThat(complete.getReopenCount()).isZero();

        scp.storeOk(b.instance(DicomSamples.CT, series, 3), "STM_CT1");
        Study reopened = StudyEngines.study(engine, b.studyUid);
        assertThat(reopened.getState()).isEqualTo(Study.State.RECEIVING);
        assertThat(reopened.getReopenCount()).isEqualTo(1);
        assertThat(reopened.getInstanceCount()).isEqualTo(3);

        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> StudyEngines.study(engine, b.studyUid).getState() == Study.State.COMPLETE);
        assertThat(StudyEngines.study(engine, b.studyUid).getCompletedAt()).isAfter(completedAt);
        assertThat(triage.forStudy(b.studyUid)).as("unmatched studies do not go to triage").isEmpty();
    }

    @Test
    void anOrderThatCameFirstIsMatchedByAccessionAndTheStudyGoesToTriageOncePerCompletionWithItsPriority() throws Exception {
        long orderId = insertOrder("MRN-B-1", "Before", "Betty", "F", LocalDate.of(1971, 2, 3), "ACC-B-1", "CT",
                ImagingOrder.Priority.STAT, ImagingOrder.Status.SCHEDULED, null);
        var b = new DicomSamples.StudyBuilder(folder.resolve("before")).accession("ACC-B-1")
                .patient("MRN-B-1", "BEFORE^BETTY", "F", "19710203");
        String series = DicomSamples.uid();
        scp.storeOk(b.instance(DicomSamples.CT, series, 1), "STM_CT1");
        scp.storeOk(b.instance(DicomSamples.CT, series, 2), "STM_CT1");

        Study matched = StudyEngines.study(engine, b.studyUid);
        assertThat(matched.getOrderId()).isEqualTo(orderId);
        assertThat(matched.getPatientId()).isEqualTo(patientOf(orderId));
        assertThat(matched.getFlags()).as("same name, sex and birth date").doesNotContain(Study.DEMOGRAPHICS_MISMATCH);
        assertThat(matched.getState()).isEqualTo(Study.State.RECEIVING);

        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() == 1);
        TriageQueueWatcher.Received first = triage.forStudy(b.studyUid).get(0);
        assertThat(first.message()).isEqualTo(new StageMessage("study", b.studyUid, "st-marys", "completed"));
        assertThat(first.priority()).isEqualTo(ImagingOrder.Priority.STAT.jmsPriority());
        assertThat(StudyEngines.study(engine, b.studyUid).getState()).isEqualTo(Study.State.TRIAGE_QUEUED);

        // Everything that could send it again: more sweeps, the order message again (a redelivery).
        detector.sweep();
        detector.sweep();
        matcher.orderChanged(orderId);
        engine.camel().createProducerTemplate().sendBody("jms:queue:" + Stage.INGEST.queue(),
                new StageMessage("order", Long.toString(orderId), "st-marys", "updated").toJson());

        // A late instance reopens it; its second completion is the second (and last) message. Had
        // anything above sent one, it would have arrived before this one.
        scp.storeOk(b.instance(DicomSamples.CT, series, 3), "STM_CT1");
        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() >= 2);
        assertThat(triage.forStudy(b.studyUid)).hasSize(2)
                .allMatch(r -> r.priority() == ImagingOrder.Priority.STAT.jmsPriority());
        assertThat(StudyEngines.study(engine, b.studyUid).getReopenCount()).isEqualTo(1);
    }

    @Test
    void anOrderThatArrivesAfterTheStudyIsMatchedFromTheIngestQueue() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("after")).accession("ACC-A-1")
                .patient("MRN-A-1", "After^Arthur", "M", "19550505");
        String series = DicomSamples.uid();
        scp.storeOk(b.instance(DicomSamples.CT, series, 1), "STM_CT1");
        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> StudyEngines.study(engine, b.studyUid).getState() == Study.State.COMPLETE);
        assertThat(StudyEngines.study(engine, b.studyUid).getOrderId()).isNull();

        long orderId = insertOrder("MRN-A-1", "After", "Arthur", "M", LocalDate.of(1955, 5, 5), "ACC-A-1", "CT",
                ImagingOrder.Priority.ASAP, ImagingOrder.Status.SCHEDULED, null);
        // What the HL7 stage publishes when it has stored an order.
        engine.camel().createProducerTemplate().sendBody("jms:queue:" + Stage.INGEST.queue(),
                new StageMessage("order", Long.toString(orderId), "st-marys", "created").toJson());

        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() == 1);
        Study study = StudyEngines.study(engine, b.studyUid);
        assertThat(study.getOrderId()).isEqualTo(orderId);
        assertThat(study.getState()).isEqualTo(Study.State.TRIAGE_QUEUED);
        assertThat(triage.forStudy(b.studyUid).get(0).priority()).isEqualTo(ImagingOrder.Priority.ASAP.jmsPriority());
    }

    @Test
    void withoutAnAccessionNumberThePatientModalityAndDateDecide() throws Exception {
        // CT_small.dcm: study date 2004-01-19, time 07:27:30; St Mary's is in Europe/London.
        Instant acquired = LocalDateTime.of(2004, 1, 19, 7, 27, 30).atZone(ZoneId.of("Europe/London")).toInstant();
        long mrOrder = insertOrder("MRN-P-1", "Patient", "Pat", "F", null, null, "MR",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.SCHEDULED, acquired.plus(Duration.ofHours(1)));
        long ctLastWeek = insertOrder("MRN-P-1", "Patient", "Pat", "F", null, null, "CT",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.SCHEDULED, acquired.minus(Duration.ofDays(7)));
        var b = new DicomSamples.StudyBuilder(folder.resolve("patient")).accession(null)
                .patient("MRN-P-1", "Patient^Pat", "F", null);
        scp.storeOk(b.instance(DicomSamples.CT, DicomSamples.uid(), 1), "STM_CT1");
        assertThat(StudyEngines.study(engine, b.studyUid).getOrderId()).as("MR order, CT a week off: no match").isNull();

        long ctToday = insertOrder("MRN-P-1", "Patient", "Pat", "F", null, null, "CT",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.SCHEDULED, acquired.minus(Duration.ofMinutes(40)));
        engine.camel().createProducerTemplate().sendBody("jms:queue:" + Stage.INGEST.queue(),
                new StageMessage("order", Long.toString(ctToday), "st-marys", "created").toJson());
        await().atMost(Duration.ofSeconds(10)).until(() -> StudyEngines.study(engine, b.studyUid).getOrderId() != null);
        assertThat(StudyEngines.study(engine, b.studyUid).getOrderId()).isEqualTo(ctToday).isNotIn(mrOrder, ctLastWeek);
    }

    @Test
    void demographicsThatDifferFromTheOrderAreFlaggedWithTheDifferences() throws Exception {
        long orderId = insertOrder("MRN-D-1", "Smith", "John", "M", LocalDate.of(1980, 5, 5), "ACC-D-1", "CT",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.SCHEDULED, null);
        var b = new DicomSamples.StudyBuilder(folder.resolve("demo")).accession("ACC-D-1")
                .patient("MRN-D-1", "Smyth^John", "F", "19800505");
        scp.storeOk(b.instance(DicomSamples.CT, DicomSamples.uid(), 1), "STM_CT1");

        Study study = StudyEngines.study(engine, b.studyUid);
        assertThat(study.getOrderId()).isEqualTo(orderId);
        assertThat(study.getFlags()).contains(Study.DEMOGRAPHICS_MISMATCH);
        String detail = study.getFlagDetails().get(Study.DEMOGRAPHICS_MISMATCH);
        assertThat(detail).contains("family name").contains("Smyth").contains("Smith").contains("sex: DICOM F vs order M")
                .doesNotContain("birth date").doesNotContain("given name");
    }

    @Test
    void theRisSayingTheExamIsCompleteCompletesTheStudyAtOnceButNotAfterAReopen() throws Exception {
        long orderId = insertOrder("MRN-C-1", "Complete", "Carl", "M", null, "ACC-C-1", "CT",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.COMPLETED, null);
        var b = new DicomSamples.StudyBuilder(folder.resolve("cm")).accession("ACC-C-1")
                .patient("MRN-C-1", "Complete^Carl", "M", null);
        String series = DicomSamples.uid();
        scp.storeOk(b.instance(DicomSamples.CT, series, 1), "STM_CT1");
        // The clock does not move: the order status alone completes it.
        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() == 1);
        assertThat(StudyEngines.study(engine, b.studyUid).getOrderId()).isEqualTo(orderId);

        scp.storeOk(b.instance(DicomSamples.CT, series, 2), "STM_CT1");
        detector.sweep();
        assertThat(StudyEngines.study(engine, b.studyUid).getState()).as("reopened: waits for the quiet period")
                .isEqualTo(Study.State.RECEIVING);
        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() == 2);
    }

    @Test
    void aHandOffWhoseCommitFailedIsNotDeliveredTwice() throws Exception {
        insertOrder("MRN-F-1", "Fail", "Fiona", "F", null, "ACC-F-1", "CT",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.SCHEDULED, null);
        var b = new DicomSamples.StudyBuilder(folder.resolve("fail")).accession("ACC-F-1")
                .patient("MRN-F-1", "Fail^Fiona", "F", null);
        String series = DicomSamples.uid();
        scp.storeOk(b.instance(DicomSamples.CT, series, 1), "STM_CT1");
        TriageHandoff handoff = engine.camel().getRegistry().lookupByNameAndType("triageHandoff", TriageHandoff.class);

        // The message goes out, then the database commit fails: the study is still RECEIVING.
        try {
            engine.store().inTransaction(s -> {
                Study study = s.createQuery("from Study where studyInstanceUid = :u", Study.class)
                        .setParameter("u", b.studyUid).uniqueResult();
                study.complete(clock.instant());
                handoff.handOffIfMatched(s, study, clock.instant());
                throw new IllegalStateException("commit failed");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("commit failed");
        }
        assertThat(StudyEngines.study(engine, b.studyUid).getState()).isEqualTo(Study.State.RECEIVING);
        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() == 1);

        // The sweep completes it for real and sends again: the broker drops the copy of the same completion.
        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> StudyEngines.study(engine, b.studyUid).getState() == Study.State.TRIAGE_QUEUED);
        // The next completion is a new message, and arrives after any copy of the first would have.
        scp.storeOk(b.instance(DicomSamples.CT, series, 2), "STM_CT1");
        clock.advance(PAST_QUIET);
        await().atMost(Duration.ofSeconds(10)).until(() -> triage.forStudy(b.studyUid).size() >= 2);
        assertThat(triage.forStudy(b.studyUid)).hasSize(2);
    }

    @Test
    void aBadMessageOnTheIngestQueueIsParkedOnItsDeadLetterQueueAndTheNextIsStillMatched() throws Exception {
        var b = new DicomSamples.StudyBuilder(folder.resolve("poison")).accession("ACC-X-1")
                .patient("MRN-X-1", "Next^Nora", "F", null);
        scp.storeOk(b.instance(DicomSamples.CT, DicomSamples.uid(), 1), "STM_CT1");
        var jms = engine.camel().createProducerTemplate();
        long dlqBefore = engine.broker().depth(Stage.INGEST.deadLetterQueue());
        jms.sendBody("jms:queue:" + Stage.INGEST.queue(), "{not a stage message");
        jms.sendBody("jms:queue:" + Stage.INGEST.queue(), new StageMessage("order", "999999", "st-marys", "created").toJson());

        long orderId = insertOrder("MRN-X-1", "Next", "Nora", "F", null, "ACC-X-1", "CT",
                ImagingOrder.Priority.ROUTINE, ImagingOrder.Status.SCHEDULED, null);
        jms.sendBody("jms:queue:" + Stage.INGEST.queue(), new StageMessage("order", Long.toString(orderId), "st-marys", "created").toJson());
        await().atMost(Duration.ofSeconds(10)).until(() -> orderId == nz(StudyEngines.study(engine, b.studyUid).getOrderId()));
        // Test settings: 100 ms first redelivery delay, doubling, 6 attempts.
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.broker().depth(Stage.INGEST.deadLetterQueue()) == dlqBefore + 2);
    }

    private static long nz(Long v) {
        return v == null ? -1 : v;
    }

    static long insertOrder(String mrn, String family, String given, String sex, LocalDate birth, String accession,
                            String modality, ImagingOrder.Priority priority, ImagingOrder.Status status, Instant scheduled) {
        return TestOrders.insert(engine, mrn, family, given, sex, birth, accession, modality, priority, status, scheduled);
    }

    static Long patientOf(long orderId) {
        return engine.store().fromTransaction(s -> s.find(ImagingOrder.class, orderId).getPatientId());
    }
}
