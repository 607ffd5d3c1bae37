package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.support.TestDatabases;
import org.radloop.support.TestEngine;

/**
 * Two RadLoop nodes on one PostgreSQL database, both sweeping (their timers plus threads of the
 * test's own): the same finding handed to both opens once, a step is notified once, each person gets
 * one message per step, and either node accepts the acknowledgement link.
 */
class CriticalResultTwoNodesTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    @TempDir
    static Path folder;
    static String url;
    static SmsGateway sms;
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-03T22:00:00Z"));
    static RadLoopEngine nodeA;
    static RadLoopEngine nodeB;

    @BeforeAll
    static void startNodes() throws Exception {
        url = TestDatabases.freshPostgresSchema();
        sms = new SmsGateway();
        Path conf = TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), folder.resolve("conf"));
        Files.writeString(conf.resolve("directory/st-marys.yaml"), CriticalResultLoop.directory(sms.url()));
        nodeA = start("a", conf, null);
        // Node B uses node A's broker, as production nodes share one Artemis (two embedded brokers
        // cannot share this JVM's in-VM acceptor).
        nodeB = start("b", conf, "vm://0");
    }

    private static RadLoopEngine start(String name, Path conf, String brokerUrl) throws Exception {
        Properties p = TestEngine.settings(folder.resolve(name));
        if (brokerUrl != null) p.setProperty("radloop.broker.url", brokerUrl);
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.db.url", url);
        p.setProperty("radloop.mail.smtp.host", "127.0.0.1");
        p.setProperty("radloop.mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        p.setProperty("radloop.mail.smtp.starttls", "false");
        p.setProperty("radloop.critical.sweep.ms", "100");
        return new RadLoopEngine(RadLoopSettings.of(TestEngine.projectHome(), p)).clock(CLOCK).start();
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodeB != null) nodeB.close();
        if (nodeA != null) nodeA.close();
        if (sms != null) sms.close();
        TestDatabases.dropSchemaOf(url);
    }

    @Test
    void twoNodesOpenEscalateAndNotifyOnce() throws Exception {
        String acc = CriticalResultLoop.newAccession();
        CriticalResult finding = CriticalResultLoop.category1(acc, "D1001");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Long>> opened = pool.invokeAll(List.of(
                    () -> notifier(nodeA).open(finding), () -> notifier(nodeB).open(finding),
                    () -> notifier(nodeA).open(finding), () -> notifier(nodeB).open(finding)));
            long id = opened.get(0).get();
            for (Future<Long> f : opened) assertThat(f.get()).isEqualTo(id);
            await().atMost(Duration.ofSeconds(15)).until(() -> mail(acc, CriticalResultLoop.ORDERING).size() == 1
                    && sms.about(acc).size() == 1);

            // Past the deadline, both nodes sweep at once, over and over.
            CLOCK.advance(Duration.ofMinutes(16));
            List<Callable<Integer>> sweeps = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RadLoopEngine node = i % 2 == 0 ? nodeA : nodeB;
                sweeps.add(() -> {
                    int n = 0;
                    for (int k = 0; k < 5; k++) n += escalation(node).sweep();
                    return n;
                });
            }
            int escalations = 0;
            for (Future<Integer> f : pool.invokeAll(sweeps)) escalations += f.get();
            await().atMost(Duration.ofSeconds(15)).until(() -> mail(acc, CriticalResultLoop.COVERING).size() == 1);
            escalation(nodeA).sweep();
            escalation(nodeB).sweep();

            assertThat(escalations).isLessThanOrEqualTo(1); // the nodes' own timers may have won
            assertThat(mail(acc, CriticalResultLoop.COVERING)).hasSize(1);
            assertThat(mail(acc, CriticalResultLoop.ORDERING)).hasSize(1);
            assertThat(mail(acc, CriticalResultLoop.HEAD)).isEmpty();
            assertThat(sms.about(acc)).hasSize(1);
            var timeline = nodeB.store().fromTransaction(s -> s.createQuery(
                            "select kind from CriticalResultEvent where criticalResultId = :r order by id", String.class)
                    .setParameter("r", id).list());
            assertThat(timeline.stream().filter(k -> k.equals("OPENED")).count()).isEqualTo(1);
            assertThat(timeline.stream().filter(k -> k.equals("ESCALATED")).count()).isEqualTo(1);
            assertThat(timeline.stream().filter(k -> k.equals("NOTIFICATION_SENT")).count()).isEqualTo(3);

            // The link sent by whichever node works on the other one too, once.
            String link = CriticalResultLoop.link((String) mail(acc, CriticalResultLoop.COVERING).get(0).getContent());
            String token = link.substring(link.lastIndexOf('/') + 1);
            HttpClient http = HttpClient.newHttpClient();
            List<Callable<Integer>> clicks = List.of(() -> click(http, nodeA, token), () -> click(http, nodeB, token),
                    () -> click(http, nodeA, token), () -> click(http, nodeB, token));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(clicks)) statuses.add(f.get());
            assertThat(statuses.stream().filter(c -> c == 200).count()).as("statuses %s", statuses).isEqualTo(1);
            assertThat(statuses).as("statuses").allMatch(c -> c == 200 || c == 410);
            String by = nodeA.store().fromTransaction(s -> s.createQuery(
                            "select acknowledgedBy from CriticalResultRecord where id = :r", String.class)
                    .setParameter("r", id).uniqueResult());
            assertThat(by).isEqualTo("Dr Ben Sample (D1002)");
        } finally {
            pool.shutdownNow();
        }
    }

    private static int click(HttpClient http, RadLoopEngine node, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.settings().get("radloop.http.port", null)
                + "/ack/" + token)).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static CriticalResultNotifier notifier(RadLoopEngine node) {
        return node.camel().getRegistry().lookupByNameAndType("criticalResultNotifier", CriticalResultNotifier.class);
    }

    private static CriticalResultEscalation escalation(RadLoopEngine node) {
        return node.camel().getRegistry().lookupByNameAndType("criticalResultEscalation", CriticalResultEscalation.class);
    }

    private static List<MimeMessage> mail(String accession, String to) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(to) && ((String) m.getContent()).contains(accession);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
