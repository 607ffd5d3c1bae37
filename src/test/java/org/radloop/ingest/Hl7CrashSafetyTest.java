package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.radloop.ingest.MllpTestClient.field;

import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.StageMessage;
import org.radloop.model.ImagingOrder;
import org.radloop.model.MessageRecord;
import org.radloop.support.EngineProcess;
import org.radloop.support.TestEngine;

/**
 * Kill -9 between receipt and commit: the engine runs as its own JVM, holds one message just before
 * its commit (test hook radloop.fault.hold-before-commit-control-id) and is killed with SIGKILL. The
 * sender gets no ACK; after a restart on the same data folder the resent message is stored exactly
 * once, and everything acknowledged before the kill is still there and reaches the ingest queue.
 */
class Hl7CrashSafetyTest {

    private static final String HELD = "CRASH-HELD";

    @TempDir
    Path dir;

    @Test
    void aKillBeforeCommitLosesNothingAcknowledgedAndTheResendIsStoredOnce() throws Exception {
        long t0 = System.nanoTime();
        Path data = dir.resolve("data");
        int port = TestEngine.freePort();
        Process first = startEngine(data, port, HELD, dir.resolve("first.log"));
        List<String> acked = new ArrayList<>();
        try {
            EngineProcess.awaitListening(port, first);
            try (MllpTestClient c = new MllpTestClient("127.0.0.1", port)) {
                for (int i = 0; i < 20; i++) {
                    String id = "CRASH-OK-" + i;
                    String ack = c.send(Hl7Samples.orm(id, "MRN-K" + i, "PK" + i, "NW", "CTHEADWO", i == 0 ? "S" : "R"));
                    assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
                    acked.add("PK" + i);
                }
                c.write(Hl7Samples.orm(HELD, "MRN-KH", "PKH", "NW", "CTHEADWO", "R").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(dir.resolve("first.log"))
                        .contains(Hl7MessageHandler.HOLD_MARKER + HELD));
                first.destroyForcibly();
                assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(c.readReply(java.nio.charset.StandardCharsets.ISO_8859_1)).as("no ACK for the message killed before commit").isNull();
            }
        } finally {
            first.destroyForcibly();
        }

        System.out.printf("crash test: first engine started, used and killed after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        int port2 = TestEngine.freePort();
        Process second = startEngine(data, port2, null, dir.resolve("second.log"));
        try {
            EngineProcess.awaitListening(port2, second);
            try (MllpTestClient c = new MllpTestClient("127.0.0.1", port2)) {
                String ack = c.send(Hl7Samples.orm(HELD, "MRN-KH", "PKH", "NW", "CTHEADWO", "R"));
                assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
                assertThat(field(ack, "MSA", 2)).isEqualTo(HELD);
                // a second resend, e.g. the RIS retrying after a lost ACK, changes nothing
                assertThat(field(c.send(Hl7Samples.orm(HELD, "MRN-KH", "PKH", "NW", "CTHEADWO", "R")), "MSA", 1)).isEqualTo("AA");
            }
        } finally {
            // killed too: what it acknowledged must survive a kill just as well
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        System.out.printf("crash test: second engine done after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        // The same data folder in this JVM: the rows, and the queue fed from the outbox.
        Properties p = TestEngine.settings(data);
        // The test reads radloop.ingest itself, so the study stage that consumes it stays off.
        TestEngine.withoutRoutes(p, "ingest-orders");
        try (RadLoopEngine engine = TestEngine.start(p)) {
            long held = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select count(o) from ImagingOrder o where o.placerOrderNumber = 'PKH'", Long.class).getSingleResult());
            assertThat(held).isEqualTo(1);
            List<String> placers = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select o.placerOrderNumber from ImagingOrder o where o.placerOrderNumber like 'PK%' and o.placerOrderNumber <> 'PKH'", String.class)
                    .getResultList());
            assertThat(placers).containsExactlyInAnyOrderElementsOf(acked);
            List<MessageRecord.State> heldRecords = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select m.state from MessageRecord m where m.controlId = :c order by m.id", MessageRecord.State.class)
                    .setParameter("c", HELD).getResultList());
            assertThat(heldRecords).containsExactly(MessageRecord.State.ACCEPTED, MessageRecord.State.DUPLICATE);

            Set<String> expectedIds = new HashSet<>(engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "select cast(o.id as string) from ImagingOrder o where o.placerOrderNumber like 'PK%'", String.class).getResultList()));
            assertThat(expectedIds).hasSize(21);
            Set<String> queued = new HashSet<>();
            try (jakarta.jms.Connection conn = engine.broker().connectionFactory().createConnection()) {
                conn.start();
                Session session = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue("radloop.ingest"));
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    TextMessage m;
                    while ((m = (TextMessage) consumer.receive(200)) != null) queued.add(StageMessage.fromJson(m.getText()).id());
                    return queued.containsAll(expectedIds);
                });
                consumer.close();
            }
            assertThat(queued).containsExactlyInAnyOrderElementsOf(expectedIds);
            ImagingOrder stat = engine.store().fromTransaction(s -> s.createSelectionQuery(
                    "from ImagingOrder o where o.placerOrderNumber = 'PK0'", ImagingOrder.class).uniqueResult());
            assertThat(stat.getPriority()).isEqualTo(ImagingOrder.Priority.STAT);
        }
    }

    private static Process startEngine(Path data, int hl7Port, String holdControlId, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:TieredStopAtLevel=1"); // quicker start on a shared test machine; behaviour is the same
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dradloop.data.dir=" + data);
        cmd.add("-Dradloop.hl7.host=127.0.0.1");
        cmd.add("-Dradloop.hl7.port=" + hl7Port);
        cmd.add("-Dradloop.http.host=127.0.0.1");
        cmd.add("-Dradloop.http.port=" + TestEngine.freePort());
        cmd.add("-Dradloop.dicom.port=" + TestEngine.freePort());
        cmd.add("-Dradloop.api.token=crash-test-token");
        if (holdControlId != null) cmd.add("-Dradloop.fault.hold-before-commit-control-id=" + holdControlId);
        cmd.add("-Dcamel.main.routesExcludePattern=" + TestEngine.routeFiles("ingest-orders"));
        cmd.add("org.radloop.cli.RadLoopCommand");
        cmd.add("start");
        cmd.add("--home");
        cmd.add(TestEngine.projectHome().toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
