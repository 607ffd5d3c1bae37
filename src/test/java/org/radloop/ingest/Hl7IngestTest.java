package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.radloop.ingest.Hl7Samples.orm;
import static org.radloop.ingest.Hl7Samples.pid;
import static org.radloop.ingest.Hl7Samples.pv1;
import static org.radloop.ingest.Hl7Samples.stMarysMsh;
import static org.radloop.ingest.MllpTestClient.field;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jakarta.jms.DeliveryMode;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpEndpoint;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.StageMessage;
import org.radloop.model.AuditEvent;
import org.radloop.model.ImagingOrder;
import org.radloop.model.MessageRecord;
import org.radloop.model.Patient;
import org.radloop.support.TestEngine;

/** HL7 ingest through a real engine: real MLLP sockets, the real store and the real embedded broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hl7IngestTest {

    @TempDir
    static Path home;

    RadLoopEngine engine;
    int port;

    @BeforeAll
    void start() throws Exception {
        Path project = TestEngine.projectHome();
        TestEngine.copyTree(project.resolve("conf"), home.resolve("conf"));
        TestEngine.copyTree(project.resolve("mappings"), home.resolve("mappings"));
        Properties p = TestEngine.settings(home.resolve("data"));
        p.setProperty("radloop.conf.dir", home.resolve("conf").toString());
        p.setProperty("radloop.mappings.dir", home.resolve("mappings").toString());
        p.setProperty("radloop.hl7.max.message.bytes", "65536");
        // These tests read radloop.ingest themselves, so the study stage that consumes it stays off.
        TestEngine.withoutRoutes(p, "ingest-orders");
        engine = TestEngine.start(p);
        port = Integer.parseInt(p.getProperty("radloop.hl7.port"));
    }

    @AfterAll
    void stop() {
        if (engine != null) engine.close();
    }


    private MllpTestClient client() throws Exception {
        return new MllpTestClient("127.0.0.1", port);
    }

    private ImagingOrder order(String placer) {
        return engine.store().fromTransaction(s -> s.createSelectionQuery(
                "from ImagingOrder o where o.placerOrderNumber = :p", ImagingOrder.class).setParameter("p", placer).uniqueResult());
    }

    private List<MessageRecord> records(String controlId) {
        return engine.store().fromTransaction(s -> s.createSelectionQuery(
                "from MessageRecord m where m.controlId = :c order by m.id", MessageRecord.class).setParameter("c", controlId).getResultList());
    }

    private Patient patient(String mrn) {
        return engine.store().fromTransaction(s -> s.createSelectionQuery(
                "from Patient p where p.identifier = :i", Patient.class).setParameter("i", mrn).uniqueResult());
    }

    @Test
    void validOrderIsAcknowledgedStoredMappedAndQueuedWithItsUrgency() throws Exception {
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        Message request = hapi.getPipeParser().parse(orm("V1", "MRN-V1", "PV1001", "NW", "CTHEADWO", "S"));
        Connection connection = hapi.newClient("127.0.0.1", port, false);
        try {
            Message ack = connection.getInitiator().sendAndReceive(request);
            String text = ack.encode();
            assertThat(field(text, "MSA", 1)).isEqualTo("AA");
            assertThat(field(text, "MSA", 2)).isEqualTo("V1");
            // MSH-1 is the separator itself, so MSH-n is the (n-1)th field after "MSH"
            assertThat(field(text, "MSH", 2)).isEqualTo("RADLOOP");
            assertThat(field(text, "MSH", 4)).isEqualTo("EPICRIS");
        } finally {
            connection.close();
            hapi.close();
        }

        ImagingOrder o = order("PV1001");
        assertThat(o.getProcedureId()).isEqualTo("ct-head-noncontrast");
        assertThat(o.getModality()).isEqualTo("CT");
        assertThat(o.getPriority()).isEqualTo(ImagingOrder.Priority.STAT);
        assertThat(o.getAccessionNumber()).isEqualTo("ACCPV1001");
        assertThat(o.getFillerOrderNumber()).isEqualTo("FPV1001");
        assertThat(o.getReasonForExam()).isEqualTo("Headache for 3 weeks");
        assertThat(o.getDiagnosisCodes()).isEqualTo("R51");
        assertThat(o.getOrderingProvider()).isEqualTo("HOUSE, GREGORY [1234]");
        assertThat(o.getPatientClass()).isEqualTo("O");
        assertThat(o.getPatientLocation()).isEqualTo("RAD/CT1/01/STMARYS");
        assertThat(o.getLoopState()).isEqualTo("RECEIVED");
        assertThat(o.getFlags()).isEmpty();
        List<MessageRecord> recs = records("V1");
        assertThat(recs).singleElement().satisfies(r -> {
            assertThat(r.getState()).isEqualTo(MessageRecord.State.ACCEPTED);
            assertThat(r.getOrderId()).isEqualTo(o.getId());
            assertThat(r.getRawPayload()).contains("CTHEADWO");
            assertThat(r.getDedupKey()).isEqualTo("st-marys|V1");
        });
        long audits = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select count(a) from AuditEvent a where a.entityType = 'order' and a.entityId = :id", Long.class)
                .setParameter("id", String.valueOf(o.getId())).getSingleResult());
        assertThat(audits).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            TextMessage queued = browseForOrder(o.getId());
            assertThat(queued).isNotNull();
            assertThat(queued.getJMSPriority()).isEqualTo(9);
            assertThat(queued.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(StageMessage.fromJson(queued.getText())).isEqualTo(new StageMessage("order", String.valueOf(o.getId()), "st-marys", "created"));
        });
        assertThat(engine.metrics().registry().scrape()).contains("radloop_messages_in_total{channel=\"hl7\",facility=\"st-marys\",outcome=\"AA\",type=\"ORM^O01\"}");
    }

    /** What STACK.md asks of the MLLP listener, as the running route actually has it. */
    @Test
    void theListenerRunsWithoutPhiLoggingWithNoDelayManyConnectionsAndTheRoutesOwnAck() {
        assertThat(engine.camel().getComponent("mllp", MllpComponent.class).getLogPhi()).isFalse();
        MllpEndpoint listener = engine.camel().getEndpoints().stream()
                .filter(e -> e instanceof MllpEndpoint).map(e -> (MllpEndpoint) e).findFirst().orElseThrow();
        assertThat(listener.getPort()).isEqualTo(port);
        assertThat(listener.getConfiguration().getTcpNoDelay()).isTrue();
        assertThat(listener.getConfiguration().isAutoAck()).isFalse();
        assertThat(listener.getConfiguration().getMaxConcurrentConsumers()).isEqualTo(64);
        assertThat(engine.camel().getRoute("ingest-hl7")).isNotNull();
    }

    private TextMessage browseForOrder(long orderId) throws Exception {
        try (jakarta.jms.Connection c = engine.broker().connectionFactory().createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue("radloop.ingest"));
            Enumeration<?> e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                TextMessage m = (TextMessage) e.nextElement();
                if (StageMessage.fromJson(m.getText()).id().equals(String.valueOf(orderId))) return m;
            }
            return null;
        }
    }

    /** One bad message after another on one connection: each gets its code, each is kept, the connection keeps serving. */
    @Test
    void badInputIsRefusedWithStandardCodesKeptAndTheConnectionServesTheNextMessage() throws Exception {
        String okPid = pid("MRN-B", "DOE^JANE", "19800101");
        record Case(String name, String message, String controlId, String ack, String err, String where) {
        }
        List<Case> cases = List.of(
                new Case("unparseable", "THIS IS NOT HL7\rAT ALL", null, "AR", "100", "MSH^1"),
                new Case("missing MSH-9", Hl7Samples.stMarysMsh("", "B-NO9") + okPid, "B-NO9", "AR", "101", "MSH^1^9"),
                new Case("missing MSH-10", Hl7Samples.stMarysMsh("ORM^O01", "") + okPid, null, "AR", "101", "MSH^1^10"),
                new Case("missing PID-3", stMarysMsh("ORM^O01", "B-PID3") + "PID|1||||DOE^JANE\r" + Hl7Samples.order("NW", "PB3", "CTHEADWO", "R", "SC"),
                        "B-PID3", "AE", "101", "PID^1^3"),
                new Case("missing order numbers", stMarysMsh("ORM^O01", "B-ORC") + okPid + "ORC|NW|||\rOBR|1|||CTHEADWO\r",
                        "B-ORC", "AE", "101", "ORC^1^2"),
                new Case("unsupported message type", stMarysMsh("MDM^T02", "B-MDM") + okPid, "B-MDM", "AR", "200", "MSH^1^9^1^1"),
                new Case("result without OBR", stMarysMsh("ORU^R01", "B-ORU") + okPid, "B-ORU", "AE", "100", "OBR^1"),
                new Case("unsupported event", stMarysMsh("ADT^A03", "B-A03") + okPid, "B-A03", "AR", "201", "MSH^1^9^1^2"),
                new Case("unsupported version", Hl7Samples.msh("EPICRIS", "STMARYS", "ORM^O01", "B-VER", "2.7", "") + okPid, "B-VER", "AR", "203", "MSH^1^12"),
                new Case("unknown character set", Hl7Samples.msh("EPICRIS", "STMARYS", "ORM^O01", "B-CS", "2.5.1", "||||||KLINGON-1") + okPid,
                        "B-CS", "AR", "103", "MSH^1^18"),
                new Case("unknown order control", stMarysMsh("ORM^O01", "B-ZZ") + okPid + Hl7Samples.order("ZZ", "PBZZ", "CTHEADWO", "R", "SC"),
                        "B-ZZ", "AE", "103", "ORC^1^1"),
                new Case("invalid birth date", stMarysMsh("ORM^O01", "B-DOB") + pid("MRN-B", "DOE^JANE", "19xx0101")
                        + Hl7Samples.order("NW", "PBDOB", "CTHEADWO", "R", "SC"), "B-DOB", "AE", "102", "PID^1^7"),
                new Case("oversized", orm("B-BIG", "MRN-B", "PBBIG", "NW", "CTHEADWO", "R") + "NTE|1||" + "X".repeat(70_000) + "\r",
                        "B-BIG", "AR", "207", "MSH^1"));
        try (MllpTestClient c = client()) {
            for (Case k : cases) {
                String ack = c.send(k.message());
                assertThat(ack).as(k.name()).isNotNull();
                assertThat(field(ack, "MSA", 1)).as(k.name()).isEqualTo(k.ack());
                assertThat(field(ack, "ERR", 3)).as(k.name()).startsWith(k.err() + "^");
                assertThat(field(ack, "ERR", 2)).as(k.name()).isEqualTo(k.where());
                if (k.controlId() != null) {
                    assertThat(field(ack, "MSA", 2)).as(k.name()).isEqualTo(k.controlId());
                    assertThat(records(k.controlId())).as(k.name()).singleElement().satisfies(r -> {
                        assertThat(r.getState()).isEqualTo(MessageRecord.State.REJECTED);
                        assertThat(r.getErrorCode()).isEqualTo(k.err());
                        assertThat(r.getErrorLocation()).isEqualTo(k.where());
                        assertThat(r.getDedupKey()).isNull();
                        assertThat(r.getRawPayload()).isEqualTo(k.message());
                    });
                }
                // the listener is still serving this very connection
                String ok = c.send(orm("B-OK-" + k.name().replace(' ', '-'), "MRN-B", "PBOK" + k.name().hashCode(), "NW", "CTHEADWO", "R"));
                assertThat(field(ok, "MSA", 1)).as("after " + k.name()).isEqualTo("AA");
            }
        }
        long unparseable = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select count(m) from MessageRecord m where m.state = 'REJECTED' and m.errorCode = '100' and m.rawPayload like 'THIS IS NOT HL7%'", Long.class)
                .getSingleResult());
        assertThat(unparseable).isEqualTo(1);
        assertThat(order("PB3")).isNull();
        assertThat(order("PBDOB")).isNull();
        assertThat(engine.metrics().registry().scrape()).contains("radloop_errors_total{channel=\"hl7\",code=\"102\",facility=\"st-marys\"}");
    }

    @Test
    void aResentMessageIsAcknowledgedAgainAndChangesNothing() throws Exception {
        String msg = orm("DUP1", "MRN-D", "PD1", "NW", "CTHEADWO", "R");
        try (MllpTestClient c = client()) {
            assertThat(field(c.send(msg), "MSA", 1)).isEqualTo("AA");
            ImagingOrder first = order("PD1");
            String again = c.send(msg);
            assertThat(field(again, "MSA", 1)).isEqualTo("AA");
            assertThat(field(again, "MSA", 2)).isEqualTo("DUP1");
            ImagingOrder after = order("PD1");
            assertThat(after.getUpdatedAt()).isEqualTo(first.getUpdatedAt());
        }
        assertThat(records("DUP1")).extracting(MessageRecord::getState)
                .containsExactly(MessageRecord.State.ACCEPTED, MessageRecord.State.DUPLICATE);
        long orders = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select count(o) from ImagingOrder o where o.placerOrderNumber = 'PD1'", Long.class).getSingleResult());
        assertThat(orders).isEqualTo(1);
    }

    /** The same message on two connections at once: one commit wins, the other finds it and changes nothing. */
    @Test
    void theSameMessageRacingOnTwoConnectionsIsStoredOnce() throws Exception {
        int pairs = 10;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (MllpTestClient a = client(); MllpTestClient b = client()) {
            for (int i = 0; i < pairs; i++) {
                String msg = orm("RACE" + i, "MRN-R" + i, "PR" + i, "NW", "CTHEADWO", "R");
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                Future<String> fa = pool.submit(() -> {
                    start.await();
                    return a.send(msg);
                });
                Future<String> fb = pool.submit(() -> {
                    start.await();
                    return b.send(msg);
                });
                assertThat(field(fa.get(), "MSA", 1)).isEqualTo("AA");
                assertThat(field(fb.get(), "MSA", 1)).isEqualTo("AA");
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < pairs; i++) {
            assertThat(records("RACE" + i)).extracting(MessageRecord::getState)
                    .containsExactlyInAnyOrder(MessageRecord.State.ACCEPTED, MessageRecord.State.DUPLICATE);
            String placer = "PR" + i;
            long orders = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select count(o) from ImagingOrder o where o.placerOrderNumber = :p", Long.class).setParameter("p", placer).getSingleResult());
            assertThat(orders).isEqualTo(1);
        }
    }

    @Test
    void aRefusedMessageFixedAndResentWithTheSameControlIdIsProcessed() throws Exception {
        try (MllpTestClient c = client()) {
            String bad = stMarysMsh("ORM^O01", "FIX1") + pid("MRN-F", "DOE^JANE", "19xx0101") + Hl7Samples.order("NW", "PF1", "CTHEADWO", "R", "SC");
            assertThat(field(c.send(bad), "MSA", 1)).isEqualTo("AE");
            assertThat(field(c.send(bad.replace("19xx0101", "19800101")), "MSA", 1)).isEqualTo("AA");
        }
        assertThat(order("PF1")).isNotNull();
        assertThat(records("FIX1")).extracting(MessageRecord::getState)
                .containsExactly(MessageRecord.State.REJECTED, MessageRecord.State.ACCEPTED);
    }

    @Test
    void anUnknownSenderIsRejected() throws Exception {
        try (MllpTestClient c = client()) {
            String ack = c.send(Hl7Samples.msh("EPICRIS", "NOWHERE", "ORM^O01", "UNK1", "2.5.1", "") + pid("MRN-U", "DOE^JANE", "19800101")
                    + Hl7Samples.order("NW", "PU1", "CTHEADWO", "R", "SC"));
            assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
            assertThat(field(ack, "ERR", 3)).startsWith("204^");
            assertThat(field(ack, "ERR", 2)).isEqualTo("MSH^1^4");
        }
        assertThat(order("PU1")).isNull();
        assertThat(records("UNK1")).singleElement().extracting(MessageRecord::getState).isEqualTo(MessageRecord.State.REJECTED);
    }

    @Test
    void changeCancelAndStatusMessagesChangeTheOrder() throws Exception {
        try (MllpTestClient c = client()) {
            assertThat(field(c.send(orm("CH1", "MRN-C", "PC1", "NW", "CTHEADWO", "R")), "MSA", 1)).isEqualTo("AA");
            assertThat(field(c.send(orm("CH2", "MRN-C", "PC1", "XO", "MRBRN", "A")), "MSA", 1)).isEqualTo("AA");
            ImagingOrder changed = order("PC1");
            assertThat(changed.getProcedureId()).isEqualTo("mr-brain");
            assertThat(changed.getPriority()).isEqualTo(ImagingOrder.Priority.ASAP);

            String completed = stMarysMsh("ORM^O01", "CH3") + pid("MRN-C", "DOE^JANE", "19800101") + pv1()
                    + Hl7Samples.order("SC", "PC1", "MRBRN", "A", "CM");
            assertThat(field(c.send(completed), "MSA", 1)).isEqualTo("AA");
            assertThat(order("PC1").getStatus()).isEqualTo(ImagingOrder.Status.COMPLETED);

            assertThat(field(c.send(orm("CH4", "MRN-C", "PC2", "NW", "XRCH2V", "R")), "MSA", 1)).isEqualTo("AA");
            assertThat(field(c.send(orm("CH5", "MRN-C", "PC2", "CA", "XRCH2V", "R")), "MSA", 1)).isEqualTo("AA");
            assertThat(order("PC2").getStatus()).isEqualTo(ImagingOrder.Status.CANCELLED);
            assertThat(order("PC2").getFlags()).doesNotContain(OrderRegister.CANCELLED_BEFORE_NEW);

            assertThat(field(c.send(orm("CH6", "MRN-C", "PC3", "NW", "USABD", "R")), "MSA", 1)).isEqualTo("AA");
            assertThat(field(c.send(orm("CH7", "MRN-C", "PC3", "DC", "USABD", "R")), "MSA", 1)).isEqualTo("AA");
            assertThat(order("PC3").getStatus()).isEqualTo(ImagingOrder.Status.DISCONTINUED);
        }
        List<String> actions = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select a.action from AuditEvent a where a.entityType = 'order' and a.entityId = :id order by a.id", String.class)
                .setParameter("id", String.valueOf(order("PC1").getId())).getResultList());
        assertThat(actions).containsExactly("order.created", "order.updated", "order.completed");
    }

    @Test
    void aCancelBeforeItsNewOrderIsRecordedAsCancelledAndFlagged() throws Exception {
        try (MllpTestClient c = client()) {
            assertThat(field(c.send(orm("CBN1", "MRN-X", "PX1", "CA", "CTHEADWO", "R")), "MSA", 1)).isEqualTo("AA");
            ImagingOrder o = order("PX1");
            assertThat(o.getStatus()).isEqualTo(ImagingOrder.Status.CANCELLED);
            assertThat(o.getFlags()).contains(OrderRegister.CANCELLED_BEFORE_NEW);
            assertThat(field(c.send(orm("CBN2", "MRN-X", "PX1", "NW", "CTHEADWO", "R")), "MSA", 1)).isEqualTo("AA");
            assertThat(order("PX1").getStatus()).isEqualTo(ImagingOrder.Status.CANCELLED);
        }
    }

    @Test
    void anUnmappedProcedureIsAcceptedAndFlagged() throws Exception {
        try (MllpTestClient c = client()) {
            assertThat(field(c.send(orm("UNM1", "MRN-M", "PM1", "NW", "PETCT", "R")), "MSA", 1)).isEqualTo("AA");
        }
        ImagingOrder o = order("PM1");
        assertThat(o.getProcedureCode()).isEqualTo("PETCT");
        assertThat(o.getProcedureId()).isNull();
        assertThat(o.getFlags()).containsExactly(OrderRegister.UNMAPPED_PROCEDURE);
    }

    @Test
    void patientUpdateChangesDemographicsAndMergeMovesOrders() throws Exception {
        try (MllpTestClient c = client()) {
            assertThat(field(c.send(stMarysMsh("ADT^A04^ADT_A01", "ADT1") + "EVN|A04|20260301\r"
                    + pid("MRN-A1", "SMITH^ANNA", "19700505") + pv1()), "MSA", 1)).isEqualTo("AA");
            assertThat(field(c.send(stMarysMsh("ADT^A08^ADT_A01", "ADT2") + "EVN|A08|20260301\r"
                    + pid("MRN-A1", "JONES^ANNA", "19700506") + pv1()), "MSA", 1)).isEqualTo("AA");
            Patient p = patient("MRN-A1");
            assertThat(p.getFamilyName()).isEqualTo("JONES");
            assertThat(p.getBirthDate()).isEqualTo(LocalDate.of(1970, 5, 6));

            assertThat(field(c.send(orm("ADT3", "MRN-A2", "PA1", "NW", "CTHEADWO", "R")), "MSA", 1)).isEqualTo("AA");
            String merge = stMarysMsh("ADT^A40^ADT_A39", "ADT4") + "EVN|A40|20260301\r" + pid("MRN-A1", "JONES^ANNA", "19700506")
                    + "MRG|MRN-A2^^^STMARYS^MR\r";
            assertThat(field(c.send(merge), "MSA", 1)).isEqualTo("AA");
            assertThat(patient("MRN-A2").getMergedIntoId()).isEqualTo(p.getId());
            assertThat(order("PA1").getPatientId()).isEqualTo(p.getId());

            String unknownPrior = stMarysMsh("ADT^A40^ADT_A39", "ADT5") + "EVN|A40|20260301\r" + pid("MRN-A1", "JONES^ANNA", "19700506")
                    + "MRG|NEVER-SEEN^^^STMARYS^MR\r";
            assertThat(field(c.send(unknownPrior), "MSA", 1)).isEqualTo("AA");
        }
        assertThat(patient("NEVER-SEEN")).isNull();
        List<AuditEvent> audit = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "from AuditEvent a where a.action like 'patient.merge%' order by a.id", AuditEvent.class).getResultList());
        assertThat(audit).extracting(AuditEvent::getAction).containsExactly("patient.merged", "patient.merge-unknown-prior");
        assertThat(records("ADT5")).singleElement().satisfies(r -> assertThat(r.getSummary()).contains("unknownPrior"));
    }

    @Test
    void version231And25MessagesAreReadToo() throws Exception {
        try (MllpTestClient c = client()) {
            String v231 = Hl7Samples.msh("NGRIS", "NORTHGATE", "ORM^O01", "NG1", "2.3.1", "")
                    + "PID|1||NG-77^^^NORTHGATE||BROWN^TOM||19600202|M\rPV1|1|E\r"
                    + "ORC|NW|NGP1|NGF1||SC||^^^20260302090000^^S\rOBR|1|NGP1|NGF1|70450^CT HEAD||||||||||||||NGACC1\r";
            assertThat(field(c.send(v231), "MSA", 1)).isEqualTo("AA");
            ImagingOrder ng = order("NGP1");
            assertThat(ng.getFacilityId()).isEqualTo("northgate-imaging");
            assertThat(ng.getProcedureId()).isEqualTo("ct-head-noncontrast");
            assertThat(ng.getPriority()).isEqualTo(ImagingOrder.Priority.STAT);
            assertThat(ng.getAccessionNumber()).isEqualTo("NGACC1");

            // 2.3.1 carries the error location and code in ERR-1
            String bad231 = Hl7Samples.msh("NGRIS", "NORTHGATE", "ORM^O01", "NG2", "2.3.1", "") + "PID|1||\r"
                    + "ORC|NW|NGP2|NGF2\rOBR|1|NGP2|NGF2|70450\r";
            String ack = c.send(bad231);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
            assertThat(field(ack, "ERR", 1)).isEqualTo("PID^1^3^101&Required field missing&HL70357");

            String v25 = Hl7Samples.msh("EPICRIS", "STMARYS", "OMI^O23^OMI_O23", "V25", "2.5", "") + pid("MRN-25", "DOE^JANE", "19800101") + pv1()
                    + "ORC|NW|P25^EPICRIS|F25\rTQ1|1||||||20260302090000||A\rOBR|1|P25^EPICRIS|F25|MRBRN^MR brain||||||||||||||OBR18ACC\r"
                    + "IPC|IPCACC25|RP25|2.25.1234|SPS25|MR\r";
            assertThat(field(c.send(v25), "MSA", 1)).isEqualTo("AA");
            ImagingOrder omi = order("P25");
            assertThat(omi.getAccessionNumber()).isEqualTo("IPCACC25");
            assertThat(omi.getPriority()).isEqualTo(ImagingOrder.Priority.ASAP);
            assertThat(omi.getProcedureId()).isEqualTo("mr-brain");
        }
    }

    @Test
    void accentedNamesSurviveInLatin1AndUtf8() throws Exception {
        try (MllpTestClient c = client()) {
            String latin = Hl7Samples.msh("EPICRIS", "STMARYS", "ADT^A08", "CS1", "2.5.1", "||||||8859/1")
                    + pid("MRN-L1", "Müller^Zoë", "19800101");
            byte[] latinBytes = latin.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(field(c.send(latinBytes, StandardCharsets.ISO_8859_1), "MSA", 1)).isEqualTo("AA");
            String utf = Hl7Samples.msh("EPICRIS", "STMARYS", "ADT^A08", "CS2", "2.5.1", "||||||UNICODE UTF-8")
                    + pid("MRN-U8", "Müller^Zoë", "19800101");
            byte[] utfBytes = utf.getBytes(StandardCharsets.UTF_8);
            assertThat(utfBytes.length).isGreaterThan(utf.length());
            assertThat(field(c.send(utfBytes, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
        }
        for (String mrn : List.of("MRN-L1", "MRN-U8")) {
            Patient p = patient(mrn);
            assertThat(p.getFamilyName()).as(mrn).isEqualTo("Müller");
            assertThat(p.getGivenName()).as(mrn).isEqualTo("Zoë");
        }
        assertThat(records("CS1").get(0).getCharset()).isEqualTo("ISO-8859-1");
        assertThat(records("CS2").get(0).getCharset()).isEqualTo("UTF-8");
    }

    @Test
    void enhancedModeGetsACommitAcknowledgement() throws Exception {
        try (MllpTestClient c = client()) {
            String commit = Hl7Samples.msh("EPICRIS", "STMARYS", "ORM^O01", "EN1", "2.5.1", "|||AL|NE") + pid("MRN-E", "DOE^JANE", "19800101")
                    + Hl7Samples.order("NW", "PE1", "CTHEADWO", "R", "SC");
            assertThat(field(c.send(commit), "MSA", 1)).isEqualTo("CA");
            String appOnly = Hl7Samples.msh("EPICRIS", "STMARYS", "ORM^O01", "EN2", "2.5.1", "|||NE|AL") + pid("MRN-E", "DOE^JANE", "19800101")
                    + Hl7Samples.order("NW", "PE2", "CTHEADWO", "R", "SC");
            assertThat(field(c.send(appOnly), "MSA", 1)).isEqualTo("AA");
            String badCommit = Hl7Samples.msh("EPICRIS", "STMARYS", "ORM^O01", "EN3", "2.5.1", "|||AL|NE") + "PID|1||\r"
                    + Hl7Samples.order("NW", "PE3", "CTHEADWO", "R", "SC");
            assertThat(field(c.send(badCommit), "MSA", 1)).isEqualTo("CE");

            // NE/NE: no acknowledgement at all; the next reply on this connection answers the next message
            String none = Hl7Samples.msh("EPICRIS", "STMARYS", "ORM^O01", "EN4", "2.5.1", "|||NE|NE") + pid("MRN-E", "DOE^JANE", "19800101")
                    + Hl7Samples.order("NW", "PE4", "CTHEADWO", "R", "SC");
            c.write(none.getBytes(StandardCharsets.ISO_8859_1));
            // a sender waits for its answer before the next message (camel-mllp drops pipelined frames)
            await().atMost(Duration.ofSeconds(10)).until(() -> !records("EN4").isEmpty());
            String next = c.send(orm("EN5", "MRN-E", "PE5", "NW", "CTHEADWO", "R"));
            assertThat(field(next, "MSA", 2)).isEqualTo("EN5");
        }
        assertThat(order("PE4")).isNotNull();
        assertThat(records("EN4")).singleElement().extracting(MessageRecord::getState).isEqualTo(MessageRecord.State.ACCEPTED);
    }

    @Test
    void eightSendersInParallelLoseNothing() throws Exception {
        int senders = 8;
        int each = 200;
        int acked = ParallelSenders.acceptedAcks("127.0.0.1", port, senders, each, (sender, i) -> {
            String id = "PAR-" + sender + "-" + i;
            return new ParallelSenders.Message(id, orm(id, "MRN-P" + (i % 50), "PP" + sender + "x" + i, "NW", "XRCH2V", i % 10 == 0 ? "S" : "R"));
        });
        assertThat(acked).isEqualTo(senders * each);
        long orders = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select count(o) from ImagingOrder o where o.placerOrderNumber like 'PP%x%'", Long.class).getSingleResult());
        assertThat(orders).isEqualTo(senders * each);
        long accepted = engine.store().fromTransaction(s -> s.createSelectionQuery(
                "select count(m) from MessageRecord m where m.controlId like 'PAR-%' and m.state = 'ACCEPTED'", Long.class).getSingleResult());
        assertThat(accepted).isEqualTo(senders * each);
    }

    @Test
    void aMessageFromAFacilityOnboardedLaterIsAcceptedOnReplay() throws Exception {
        String msg = Hl7Samples.msh("LATERRIS", "LATECLINIC", "ORM^O01", "LATE1", "2.5.1", "") + pid("MRN-LATE", "DOE^JANE", "19800101")
                + Hl7Samples.order("NW", "PLATE1", "CTHEADWO", "R", "SC");
        try (MllpTestClient c = client()) {
            assertThat(field(c.send(msg), "MSA", 1)).isEqualTo("AR");
        }
        MessageRecord refused = records("LATE1").get(0);
        assertThat(refused.getState()).isEqualTo(MessageRecord.State.REJECTED);

        Files.writeString(home.resolve("conf/facilities/late-clinic.yaml"), """
                id: late-clinic
                name: Late Clinic (test)
                timeZone: Europe/London
                hl7:
                  sendingApplications: [LATERRIS]
                  sendingFacilities: [LATECLINIC]
                codeMappings: codes/st-marys.yaml
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.facilities().byId("late-clinic").isPresent());

        MessageReplayer replayer = engine.camel().getRegistry().lookupByNameAndType("messageReplayer", MessageReplayer.class);
        MessageReplayer.Outcome outcome = replayer.replay(refused.getId());
        assertThat(outcome.state()).isEqualTo("ACCEPTED");
        assertThat(outcome.ackCode()).isEqualTo("AA");
        assertThat(order("PLATE1").getFacilityId()).isEqualTo("late-clinic");
        List<MessageRecord> recs = records("LATE1");
        assertThat(recs).extracting(MessageRecord::getState).containsExactly(MessageRecord.State.REPLAYED, MessageRecord.State.ACCEPTED);
        assertThat(recs.get(1).getReplayOfId()).isEqualTo(refused.getId());
    }
}
