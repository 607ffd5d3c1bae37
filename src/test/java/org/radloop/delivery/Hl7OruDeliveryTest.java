package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AuditEvent;
import org.radloop.model.Delivery;
import org.radloop.model.MessageRecord;
import org.radloop.support.Hl7ResultsPeer;
import org.radloop.support.Hl7ResultsPeer.Answer;
import org.radloop.support.TestEngine;

/**
 * ORU^R01 over MLLP to real HAPI MLLP servers that answer AA, AE, and nothing, and to one that is
 * down at first: AA is DELIVERED, AE is FAILED with an alert, silence is retried with backoff and
 * ends DEAD with an alert, and the server that comes up late gets the report exactly once however
 * often the stage message is repeated.
 */
class Hl7OruDeliveryTest {

    @TempDir
    static Path dir;
    static Hl7ResultsPeer accepting;
    static Hl7ResultsPeer refusing;
    static Hl7ResultsPeer silent;
    static Hl7ResultsPeer late;
    static int latePort;
    static MutableClock clock = new MutableClock(Instant.parse("2026-11-30T22:00:00Z"));
    static DeliveryFixture.Reports reports = new DeliveryFixture.Reports();
    static RadLoopEngine engine;
    static HapiContext hapi = new DefaultHapiContext();

    @BeforeAll
    static void start() throws Exception {
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        accepting = Hl7ResultsPeer.start(TestEngine.freePort(), Answer.AA);
        refusing = Hl7ResultsPeer.start(TestEngine.freePort(), Answer.AE);
        silent = Hl7ResultsPeer.start(TestEngine.freePort(), Answer.NOTHING);
        latePort = TestEngine.freePort();
        Path conf = DeliveryFixture.conf(dir.resolve("conf"), """
                - channel: hl7-oru
                  name: ris
                  host: 127.0.0.1
                  port: %d
                - channel: hl7-oru
                  name: old-ris
                  version: "2.3.1"
                  host: 127.0.0.1
                  port: %d
                - channel: hl7-oru
                  name: refusing-ris
                  host: 127.0.0.1
                  port: %d
                - channel: hl7-oru
                  name: silent-ris
                  host: 127.0.0.1
                  port: %d
                  ackTimeoutSeconds: 1
                  retry: {maxAttempts: 2, initialDelaySeconds: 60}
                - channel: hl7-oru
                  name: late-ris
                  host: 127.0.0.1
                  port: %d
                  connectTimeoutSeconds: 2
                  retry: {maxAttempts: 5, initialDelaySeconds: 60, multiplier: 2}
                - channel: hl7-oru
                  name: switched-off
                  enabled: false
                  host: 127.0.0.1
                  port: %d
                """.formatted(accepting.port(), accepting.port(), refusing.port(), silent.port(), latePort, accepting.port()));
        engine = DeliveryFixture.start(dir.resolve("data"), conf, clock, reports);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        for (Hl7ResultsPeer p : new Hl7ResultsPeer[] {accepting, refusing, silent, late}) if (p != null) p.close();
    }

    @Test
    void oruIsDeliveredOnAaFailedOnAeRetriedOnSilenceAndSentOnceToALateServer() throws Exception {
        reports.add(DeliveryFixture.report("R100", 1, ReportForDelivery.Status.FINAL, "1.2.826.0.1.3680043.10.1.100"));
        DeliveryFixture.announce(engine, "R100");

        Delivery ris = DeliveryFixture.awaitState(engine, "R100", 1, "ris", Delivery.State.DELIVERED);
        DeliveryFixture.awaitState(engine, "R100", 1, "old-ris", Delivery.State.DELIVERED);
        Delivery refused = DeliveryFixture.awaitState(engine, "R100", 1, "refusing-ris", Delivery.State.FAILED);
        assertThat(ris.getRemoteReference()).isEqualTo("RL" + ris.getId());
        assertThat(refused.getLastError()).contains("AE").contains("unknown order");
        assertThat(refused.getAttempts()).isEqualTo(1);
        // the channel that is switched off gets no delivery at all
        assertThat(DeliveryFixture.delivery(engine, "R100", 1, "switched-off")).isNull();

        // silence and a closed port: retried later, not failed
        await().atMost(Duration.ofSeconds(20)).until(() -> attempted(engine, "silent-ris") && attempted(engine, "late-ris"));
        for (String ch : List.of("silent-ris", "late-ris")) {
            Delivery d = DeliveryFixture.delivery(engine, "R100", 1, ch);
            assertThat(d.getState()).as(ch).isEqualTo(Delivery.State.PENDING);
            assertThat(d.getNextAttemptAt()).as(ch).isEqualTo(d.getLastAttemptAt().plusSeconds(60));
        }
        assertThat(DeliveryFixture.delivery(engine, "R100", 1, "silent-ris").getLastError()).contains("no ACK within 1 s");

        // what the RIS received: the order's identifiers, status F, the text in OBX, the signer in OBR-32
        List<String> got = of("R100", accepting);
        assertThat(got).hasSize(2);
        Message v251 = hapi.getPipeParser().parse(got.stream().filter(m -> m.contains("|2.5.1")).findFirst().orElseThrow());
        Terser t = new Terser(v251);
        assertThat(t.get("/MSH-9-1") + "^" + t.get("/MSH-9-2")).isEqualTo("ORU^R01");
        assertThat(t.get("/MSH-10")).isEqualTo("RL" + ris.getId());
        assertThat(t.get("/MSH-5")).isEqualTo("RIVRIS");
        assertThat(t.get("/MSH-6")).isEqualTo("RIVERSIDE");
        assertThat(t.get("/PATIENT_RESULT/PATIENT/PID-3-1")).isEqualTo("MRN-R100");
        assertThat(t.get("/PATIENT_RESULT/PATIENT/PID-3-4-1")).isEqualTo("RIVERSIDE");
        assertThat(t.get("/PATIENT_RESULT/PATIENT/PID-7")).isEqualTo("19480314");
        String o = "/PATIENT_RESULT/ORDER_OBSERVATION/";
        assertThat(t.get(o + "ORC-2-1")).isEqualTo("PLC-R100");
        assertThat(t.get(o + "OBR-2-1")).isEqualTo("PLC-R100");
        assertThat(t.get(o + "OBR-3-1")).isEqualTo("FIL-R100");
        assertThat(t.get(o + "OBR-4-1")).isEqualTo("CTHEAD");
        assertThat(t.get(o + "OBR-18")).isEqualTo("ACC-R100");
        assertThat(t.get(o + "OBR-25")).isEqualTo("F");
        assertThat(t.get(o + "OBR-32-1-1")).isEqualTo("R77");
        assertThat(t.get(o + "OBR-32-1-2")).isEqualTo("Lindqvist");
        StringBuilder text = new StringBuilder();
        for (int i = 0; ; i++) {
            String v = t.get(o + "OBSERVATION(" + i + ")/OBX-5");
            if (v == null) break;
            assertThat(t.get(o + "OBSERVATION(" + i + ")/OBX-2")).isEqualTo("TX");
            assertThat(t.get(o + "OBSERVATION(" + i + ")/OBX-11")).isEqualTo("F");
            text.append(v).append('\n');
        }
        assertThat(text.toString()).contains("FINDINGS:", "12 mm acute subdural haematoma", "IMPRESSION:",
                "Neurosurgical review recommended.", "flagged this study for priority reading");
        Message v231 = hapi.getPipeParser().parse(got.stream().filter(m -> m.contains("|2.3.1")).findFirst().orElseThrow());
        Terser t231 = new Terser(v231);
        assertThat(t231.get("/.OBR-25")).isEqualTo("F");
        assertThat(t231.get("/.OBR-2-1")).isEqualTo("PLC-R100");
        assertThat(t231.get("/.PID-3-1")).isEqualTo("MRN-R100");
        assertThat(t231.get("/.OBX-11")).isEqualTo("F");

        // the outbound messages are in the message log like inbound ones, with the ACK code
        List<MessageRecord> out = engine.store().fromTransaction(s -> s.createQuery(
                "from MessageRecord where direction = :d order by id", MessageRecord.class)
                .setParameter("d", MessageRecord.Direction.OUT).list());
        MessageRecord sentOru = out.stream().filter(m -> m.getId().equals(ris.getMessageRecordId())).findFirst().orElseThrow();
        assertThat(sentOru.getState()).isEqualTo(MessageRecord.State.SENT);
        assertThat(sentOru.getAckCode()).isEqualTo("AA");
        assertThat(sentOru.getMessageType()).isEqualTo("ORU^R01");
        assertThat(sentOru.getRawPayload()).isEqualTo(got.stream().filter(m -> m.contains("|2.5.1")).findFirst().orElseThrow().replace("\n", "\r"));
        MessageRecord refusedOru = out.stream().filter(m -> m.getId().equals(refused.getMessageRecordId())).findFirst().orElseThrow();
        assertThat(refusedOru.getState()).isEqualTo(MessageRecord.State.FAILED);
        assertThat(refusedOru.getAckCode()).isEqualTo("AE");

        // the refusal raised an alert: audit event, metric, a note on the dead-letter queue
        assertThat(audit(engine, refused.getId())).contains("delivery.failed");
        // (other tests' deliveries run alongside: the counter must match the audit trail, whatever the total)
        await().atMost(Duration.ofSeconds(10)).until(() -> alertMetric("FAILED") == auditCount("delivery.failed"));
        assertThat(alertMetric("FAILED")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.broker().depth(Stage.DELIVER.deadLetterQueue()) >= 1);

        // the same approval again (a redelivered queue message, a restarted stage): nothing new is sent
        DeliveryFixture.announce(engine, "R100");
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.broker().depth(Stage.DELIVER.queue()) == 0);
        Thread.sleep(700);
        assertThat(of("R100", accepting)).hasSize(2);
        assertThat(DeliveryFixture.deliveries(engine, "R100")).hasSize(5);

        // the late RIS comes up; once the backoff has passed it gets the report, once
        late = Hl7ResultsPeer.start(latePort, Answer.AA);
        clock.advance(Duration.ofSeconds(61));
        DeliveryFixture.awaitState(engine, "R100", 1, "late-ris", Delivery.State.DELIVERED);
        // the silent RIS has had its last attempt: DEAD, with an alert
        Delivery dead = DeliveryFixture.awaitState(engine, "R100", 1, "silent-ris", Delivery.State.DEAD);
        assertThat(dead.getAttempts()).isEqualTo(2);
        assertThat(dead.getLastError()).contains("no answer after 2 attempt(s)");
        assertThat(audit(engine, dead.getId())).contains("delivery.dead");
        await().atMost(Duration.ofSeconds(10)).until(() -> alertMetric("DEAD") == auditCount("delivery.dead"));
        assertThat(alertMetric("DEAD")).isGreaterThanOrEqualTo(1);

        DeliveryFixture.announce(engine, "R100");
        clock.advance(Duration.ofHours(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.broker().depth(Stage.DELIVER.queue()) == 0);
        Thread.sleep(700);
        assertThat(of("R100", late)).hasSize(1);
        assertThat(of("R100", accepting)).hasSize(2);
        assertThat(of("R100", silent)).hasSize(2);

        // a corrected version is a new delivery, with result status C
        reports.add(DeliveryFixture.report("R100", 2, ReportForDelivery.Status.CORRECTED, "1.2.826.0.1.3680043.10.1.100"));
        DeliveryFixture.announce(engine, "R100");
        DeliveryFixture.awaitState(engine, "R100", 2, "ris", Delivery.State.DELIVERED);
        String corrected = of("R100", accepting).stream().filter(m -> m.contains("|2.5.1") && m.contains("14 mm")).findFirst().orElseThrow();
        Terser tc = new Terser(hapi.getPipeParser().parse(corrected));
        assertThat(tc.get(o + "OBR-25")).isEqualTo("C");
        assertThat(tc.get(o + "OBSERVATION(0)/OBX-11")).isEqualTo("C");
        // one connector route per destination, however many reports went through it
        assertThat(engine.camel().getRoutes().stream().filter(r -> r.getRouteId().startsWith("hl7-oru-sink")).count())
                .isLessThanOrEqualTo(5);
    }

    @Test
    void deliveriesAreListedAndAFailedOneCanBeResentThroughTheApi() throws Exception {
        reports.add(DeliveryFixture.report("R200", 1, ReportForDelivery.Status.FINAL, "1.2.826.0.1.3680043.10.1.200"));
        DeliveryFixture.announce(engine, "R200");
        Delivery refused = DeliveryFixture.awaitState(engine, "R200", 1, "refusing-ris", Delivery.State.FAILED);

        HttpResponse<String> list = api("GET", "/api/deliveries?report=R200&state=FAILED");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"count\":1", "\"channel\":\"refusing-ris\"", "\"state\":\"FAILED\"", "unknown order");
        assertThat(api("GET", "/api/deliveries?state=LOST").statusCode()).isEqualTo(400);
        assertThat(api("GET", "/api/deliveries?reprot=R200").statusCode()).isEqualTo(400);
        assertThat(api("POST", "/api/deliveries/999999/resend").statusCode()).isEqualTo(404);

        int before = refusing.received().size();
        HttpResponse<String> resend = api("POST", "/api/deliveries/" + refused.getId() + "/resend");
        assertThat(resend.statusCode()).isEqualTo(202);
        assertThat(resend.body()).contains("\"state\":\"PENDING\"", "\"resendCount\":1");
        await().atMost(Duration.ofSeconds(15)).until(() -> refusing.received().size() == before + 1);
        Delivery again = DeliveryFixture.awaitState(engine, "R200", 1, "refusing-ris", Delivery.State.FAILED);
        assertThat(again.getResendCount()).isEqualTo(1);
        assertThat(again.getAttempts()).isEqualTo(1);
        // a resend is a new message for the RIS: a new control id
        assertThat(refusing.received().get(before)).contains("|RL" + refused.getId() + "R1|");
        assertThat(audit(engine, refused.getId())).contains("delivery.resend");
        assertThat(api("GET", "/api/deliveries/" + refused.getId()).body()).contains("\"resendCount\":1");
    }

    @Test
    void badDeliverMessagesAreParkedOnTheDeadLetterQueueWithTheReasonAndTheNextOneIsServed() throws Exception {
        var template = engine.camel().createProducerTemplate();
        template.sendBody(Stage.DELIVER.endpoint(), "this is not json");
        template.sendBody(Stage.DELIVER.endpoint(), new org.radloop.engine.StageMessage("study", "1.2.3", "riverside", "completed").toJson());
        template.sendBody(Stage.DELIVER.endpoint(), new org.radloop.engine.StageMessage("report", "NO-SUCH", "riverside", "approved").toJson());
        reports.add(DeliveryFixture.report("R500", 1, ReportForDelivery.Status.FINAL, "1.2.826.0.1.3680043.10.1.500"));
        DeliveryFixture.announce(engine, "R500");
        DeliveryFixture.awaitState(engine, "R500", 1, "ris", Delivery.State.DELIVERED);

        var consumer = engine.camel().createConsumerTemplate();
        List<String> reasons = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            org.apache.camel.Exchange ex = consumer.receive("jms:queue:" + Stage.DELIVER.deadLetterQueue(), 500);
            if (ex != null && ex.getMessage().getHeader("RadLoopRefusedReason") != null) {
                reasons.add(ex.getMessage().getHeader("RadLoopRefusedReason", String.class));
            }
            return reasons.size() >= 3;
        });
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("Not a stage message"))
                .anySatisfy(r -> assertThat(r).contains("not kind 'study'"))
                .anySatisfy(r -> assertThat(r).isEqualTo("no signed report NO-SUCH"));
        assertThat(DeliveryFixture.deliveries(engine, "NO-SUCH")).isEmpty();
    }

    /** The alert counter on /metrics: one per FAILED or DEAD outcome. */
    private static long alertMetric(String state) {
        String prefix = "radloop_delivery_alerts_total{channel=\"hl7-oru\",facility=\"riverside\",state=\"" + state + "\"} ";
        return engine.metrics().registry().scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
    }

    private static long auditCount(String action) {
        return engine.store().fromTransaction(s -> s.createQuery(
                "select count(a) from AuditEvent a where a.action = :a", Long.class).setParameter("a", action).uniqueResult());
    }

    /** What a peer received for one report: the tests share the peers. */
    private static List<String> of(String reportId, Hl7ResultsPeer peer) {
        return peer.received().stream().filter(m -> m.contains("|PLC-" + reportId + "|")).toList();
    }

    private static boolean attempted(RadLoopEngine engine, String channel) {
        Delivery d = DeliveryFixture.delivery(engine, "R100", 1, channel);
        return d != null && d.getAttempts() >= 1 && d.getState() == Delivery.State.PENDING;
    }

    static List<String> audit(RadLoopEngine engine, long deliveryId) {
        return engine.store().fromTransaction(s -> s.createQuery(
                "from AuditEvent where entityType = 'delivery' and entityId = :id order by id", AuditEvent.class)
                .setParameter("id", Long.toString(deliveryId)).list().stream().map(AuditEvent::getAction).toList());
    }

    private static HttpResponse<String> api(String method, String path) throws Exception {
        String port = engine.settings().get("radloop.http.port", null);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null))
                .timeout(Duration.ofSeconds(10));
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
