package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.RadLoopSettings;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.support.TestEngine;

/**
 * The closed loop of a critical result through a real engine: email to GreenMail, SMS to a real HTTP
 * gateway through the webhook Kamelet, escalation when the engine's clock passes a step's deadline,
 * acknowledgement by the link of the email and by the API, and the refusal of used and forged links.
 *
 * <p>Run on H2 ({@link CriticalResultLoopH2Test}) and PostgreSQL ({@link CriticalResultLoopPostgresTest}).
 * One engine per class; each test uses its own accession number and looks only at the mail
 * and SMS about it, so the tests do not see each other's notifications.
 */
public abstract class CriticalResultLoop {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/ack/[A-Za-z0-9_-]{43}");
    static final String ORDERING = "ada.example@st-marys.example";
    static final String COVERING = "ben.sample@st-marys.example";
    static final String HEAD = "carla.head@st-marys.example";
    static final String NORTHGATE = "nina.north@northgate.example";

    @TempDir
    static Path folder;
    static Path conf;
    static SmsGateway sms;
    static MutableClock clock;
    static RadLoopEngine engine;
    static CriticalResultNotifier notifier;
    static CriticalResultEscalation escalation;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Starts the engine on the embedded H2 (null) or on the database at this JDBC URL. */
    static void startEngine(String databaseUrl) throws Exception {
        sms = new SmsGateway();
        conf = folder.resolve("conf");
        TestEngine.copyTree(TestEngine.projectHome().resolve("conf"), conf);
        Files.writeString(conf.resolve("directory/st-marys.yaml"), directory(sms.url()));
        Files.writeString(conf.resolve("directory/northgate-imaging.yaml"), """
                facility: northgate-imaging
                links:
                  confirm: true
                clinicians:
                  - id: "N1"
                    name: Dr Nina North
                    email: %s
                escalation:
                  - step: ordering-clinician
                """.formatted(NORTHGATE));
        Properties p = TestEngine.settings(folder.resolve("data"));
        p.setProperty("radloop.conf.dir", conf.toString());
        p.setProperty("radloop.mail.smtp.host", "127.0.0.1");
        p.setProperty("radloop.mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        p.setProperty("radloop.mail.smtp.starttls", "false");
        p.setProperty("radloop.critical.sweep.ms", "200");
        if (databaseUrl != null) p.setProperty("radloop.db.url", databaseUrl);
        clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        engine = new RadLoopEngine(RadLoopSettings.of(TestEngine.projectHome(), p)).clock(clock).start();
        notifier = engine.camel().getRegistry().lookupByNameAndType("criticalResultNotifier", CriticalResultNotifier.class);
        escalation = engine.camel().getRegistry().lookupByNameAndType("criticalResultEscalation", CriticalResultEscalation.class);
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) engine.close();
        engine = null;
        if (sms != null) sms.close();
        sms = null;
    }

    /**
     * St Mary's chain: ordering clinician (category deadline, 15 min for ACR 1), covering, head, radiologist.
     * Also the directory of other stages' tests that only need St Mary's channels (email sender, SMS gateway).
     */
    public static String directory(String smsUrl) {
        return """
                facility: st-marys
                email:
                  from: radiology-critical@st-marys.example
                sms:
                  webhookUrl: %s
                clinicians:
                  - id: "D1001"
                    name: Dr Ada Example
                    email: %s
                    pager: "+447700900101"
                    phone: "+44 20 7946 0101"
                    coveredBy: "D1002"
                  - id: "D1002"
                    name: Dr Ben Sample
                    email: %s
                    channels: [email]
                  - id: "D1900"
                    name: Dr Carla Head
                    email: %s
                  - id: "R2001"
                    name: Dr Dev Reader
                    pager: "+447700900201"
                escalation:
                  - step: ordering-clinician
                  - step: covering-clinician
                    acknowledgeWithin: {"1": 10m, "2": 2h, "3": 1d}
                  - step: department-head
                    clinician: "D1900"
                    acknowledgeWithin: 10m
                  - step: radiologist
                    acknowledgeWithin: 5m
                """.formatted(smsUrl, ORDERING, COVERING, HEAD);
    }

    static String newAccession() {
        return "ACC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    static CriticalResult category1(String accession, String orderingClinician) {
        return new CriticalResult("report-" + accession, "st-marys", accession, "1.2.826.0.1.3680043.10.1." + Math.abs(accession.hashCode()),
                1, "Large right tension pneumothorax with mediastinal shift.", orderingClinician, "R2001");
    }

    @Test
    void aCategoryOneFindingIsSentEscalatedAtTheDeadlineAndStoppedByTheEmailLink() throws Exception {
        String acc = newAccession();
        long id = notifier.open(category1(acc, "D1001"));

        // Step 1, the ordering clinician: one email and one SMS, each with its own single-use link.
        List<MimeMessage> first = await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout(acc, ORDERING), l -> l.size() == 1);
        MimeMessage mail = first.get(0);
        assertThat(mail.getSubject()).contains("ACR category 1").contains("15 min");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("radiology-critical@st-marys.example");
        String body = (String) mail.getContent();
        assertThat(body).contains(acc).contains("tension pneumothorax").contains("you are the ordering clinician");
        String emailLink = link(body);
        List<SmsGateway.Received> texts = await().atMost(Duration.ofSeconds(10)).until(() -> sms.about(acc), l -> l.size() == 1);
        assertThat(texts.get(0).method()).isEqualTo("POST");
        assertThat(texts.get(0).contentType()).startsWith("application/json");
        assertThat(texts.get(0).to()).isEqualTo("+447700900101");
        String smsLink = link(texts.get(0).message());
        assertThat(smsLink).isNotEqualTo(emailLink);

        JsonNode open = api("/api/critical-results/" + id);
        assertThat(open.path("state").asText()).isEqualTo("OPEN");
        assertThat(open.path("currentStep").asInt()).isEqualTo(1);
        assertThat(open.path("stepDeadline").asText()).isEqualTo("2026-03-02T09:15:00Z");
        assertThat(open.path("notifications")).hasSize(2)
                .allSatisfy(n -> assertThat(n.path("delivered").asBoolean()).isTrue());

        // Not acknowledged, but the deadline has not passed: nobody else is told.
        clock.advance(Duration.ofMinutes(14));
        escalation.sweep();
        assertThat(mailAbout(acc, COVERING)).isEmpty();

        // Past the deadline: the covering clinician (Dr Ada's coveredBy) is notified, by email only.
        clock.advance(Duration.ofMinutes(2));
        List<MimeMessage> covering = await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout(acc, COVERING), l -> l.size() == 1);
        assertThat((String) covering.get(0).getContent()).contains("you cover for the ordering clinician Dr Ada Example");
        String coveringLink = link((String) covering.get(0).getContent());
        JsonNode escalated = api("/api/critical-results/" + id);
        assertThat(escalated.path("currentStep").asInt()).isEqualTo(2);
        assertThat(escalated.path("currentStepRole").asText()).isEqualTo("covering-clinician");
        assertThat(events(escalated)).contains("ESCALATED");

        // The ordering clinician opens the link of the first email: acknowledged, escalation stops.
        HttpResponse<String> ack = get(emailLink, "text/html");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(ack.body()).contains("Critical result acknowledged").contains("Dr Ada Example");
        clock.advance(Duration.ofMinutes(30));
        escalation.sweep();
        escalation.sweep();
        assertThat(mailAbout(acc, HEAD)).isEmpty();
        assertThat(mailAbout(acc, COVERING)).hasSize(1);
        assertThat(sms.about(acc)).hasSize(1);
        JsonNode closed = api("/api/critical-results/" + id);
        assertThat(closed.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(closed.path("acknowledgedBy").asText()).isEqualTo("Dr Ada Example (D1001)");
        assertThat(closed.path("acknowledgedVia").asText()).isEqualTo("link");
        assertThat(closed.path("acknowledgedAt").asText()).isEqualTo("2026-03-02T09:16:00Z");

        // The same link again, a still unused link of the closed result, a forged one, and garbage.
        HttpResponse<String> again = get(emailLink, "application/json");
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(JSON.readTree(again.body()).path("error").asText()).isEqualTo("link_used");
        HttpResponse<String> late = get(coveringLink, "application/json");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(late.body()).path("reason").asText()).contains("already acknowledged by Dr Ada Example");
        String forged = emailLink.substring(0, emailLink.length() - 43) + flip(emailLink.substring(emailLink.length() - 43));
        HttpResponse<String> fake = get(forged, "application/json");
        assertThat(fake.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(fake.body()).path("error").asText()).isEqualTo("unknown_link");
        assertThat(JSON.readTree(fake.body()).path("acknowledged").asBoolean()).isFalse();
        assertThat(get(emailLink.replaceAll("/ack/.*", "/ack/not-a-token"), "text/html").statusCode()).isEqualTo(404);

        // The timeline tells the whole story, and the audit trail has every step.
        assertThat(events(api("/api/critical-results/" + id))).containsSubsequence(
                "OPENED", "STEP_NOTIFIED", "NOTIFICATION_SENT", "NOTIFICATION_SENT", "ESCALATED", "NOTIFICATION_SENT",
                "ACKNOWLEDGED", "LINK_REFUSED", "LINK_REFUSED");
        List<String> audited = engine.store().fromTransaction(s -> s.createQuery(
                        "select action from AuditEvent where entityType = 'critical_result' and entityId = :id order by id", String.class)
                .setParameter("id", Long.toString(id)).list());
        assertThat(audited).contains("critical-result.opened", "critical-result.escalated",
                "critical-result.notification-sent", "critical-result.acknowledged", "critical-result.link-refused");
    }

    @Test
    void theApiAcknowledgesAndOpeningTheSameFindingTwiceChangesNothing() throws Exception {
        String acc = newAccession();
        long id = notifier.open(category1(acc, "D1001"));
        assertThat(notifier.open(category1(acc, "D1001"))).isEqualTo(id);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> notifier.open(new CriticalResult("r-" + acc, "nowhere", acc,
                null, 1, "x", "D1001", null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown facility");
        String link = link((String) await().atMost(Duration.ofSeconds(10))
                .until(() -> mailAbout(acc, ORDERING), l -> l.size() == 1).get(0).getContent());

        HttpResponse<String> nobody = post("/api/critical-results/" + id + "/acknowledge", "{}");
        assertThat(nobody.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(nobody.body()).path("reason").asText()).contains("by");
        assertThat(post("/api/critical-results/999999/acknowledge", "{\"by\":\"x\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> ok = post("/api/critical-results/" + id + "/acknowledge",
                "{\"by\": \"Dr Ada Example, by phone with Dr Dev Reader\", \"note\": \"read back\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode closed = JSON.readTree(ok.body());
        assertThat(closed.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(closed.path("acknowledgedVia").asText()).isEqualTo("api");
        assertThat(closed.path("acknowledgedBy").asText()).isEqualTo("Dr Ada Example, by phone with Dr Dev Reader");
        assertThat(post("/api/critical-results/" + id + "/acknowledge", "{\"by\":\"someone\"}").statusCode()).isEqualTo(409);

        clock.advance(Duration.ofHours(2));
        escalation.sweep();
        assertThat(mailAbout(acc, COVERING)).isEmpty();
        assertThat(mailAbout(acc, ORDERING)).hasSize(1);
        assertThat(get(link, "application/json").statusCode()).isEqualTo(409);

        JsonNode acknowledged = api("/api/critical-results?state=acknowledged");
        assertThat(ids(acknowledged)).contains(id);
        assertThat(ids(api("/api/critical-results?state=open"))).doesNotContain(id);
        JsonNode listed = api("/api/critical-results");
        JsonNode mine = null;
        for (JsonNode r : listed.path("results")) if (r.path("id").asLong() == id) mine = r;
        assertThat(mine).isNotNull();
        assertThat(events(mine)).containsSubsequence("OPENED", "STEP_NOTIFIED", "ACKNOWLEDGED");
        assertThat(get(base() + "/api/critical-results?state=maybe", "application/json", true).statusCode()).isEqualTo(400);
        assertThat(get(base() + "/api/critical-results", "application/json", false).statusCode()).isEqualTo(401);
    }

    /**
     * A slow pager gateway must not hold up an acknowledgement: the notification is sent outside any
     * transaction, so the acknowledgement does not wait for the notification's row (it used to, until
     * the database's lock timeout, and the clinician saw an error).
     */
    @Test
    void anAcknowledgementGoesThroughWhileAPageIsStillBeingSent() throws Exception {
        String acc = newAccession();
        sms.hold();
        long id;
        // The first notifications go out in the opener's thread (or the sweep's), which waits for the gateway.
        java.util.concurrent.CompletableFuture<Long> opening = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> notifier.open(category1(acc, "D1001")));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> sms.holding(acc));
            id = openResultFor(acc);
            HttpResponse<String> ok = post("/api/critical-results/" + id + "/acknowledge", "{\"by\": \"Dr Ada Example, by phone\"}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(JSON.readTree(ok.body()).path("state").asText()).isEqualTo("ACKNOWLEDGED");
            assertThat(sms.about(acc)).as("the page is still with the gateway").isEmpty();
        } finally {
            sms.release();
        }
        assertThat(opening.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(id);
        // The page the gateway took is recorded as sent; nothing is sent again.
        JsonNode r = await().atMost(Duration.ofSeconds(10)).until(() -> api("/api/critical-results/" + id), x -> {
            for (JsonNode n : x.path("notifications")) {
                if ("sms".equals(n.path("channel").asText()) && n.path("delivered").asBoolean()) return true;
            }
            return false;
        });
        assertThat(r.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(sms.about(acc)).hasSize(1);
    }

    @Test
    void anUnknownClinicianIsSkippedAndAFailingGatewayIsRetried() throws Exception {
        String acc = newAccession();
        sms.answer(503);
        try {
            // D9999 is not in the directory: step 1 and (no coveredBy known) step 2 are skipped; the head is told.
            long id = notifier.open(category1(acc, "D9999"));
            await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout(acc, HEAD), l -> l.size() == 1);
            JsonNode r = api("/api/critical-results/" + id);
            assertThat(r.path("currentStepRole").asText()).isEqualTo("department-head");
            assertThat(events(r)).containsSubsequence("OPENED", "STEP_SKIPPED", "STEP_SKIPPED", "STEP_NOTIFIED");
            assertThat(r.path("stepDeadline").asText()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).toString());

            // The head's deadline passes; the radiologist has only a pager, and the gateway is down.
            clock.advance(Duration.ofMinutes(11));
            await().atMost(Duration.ofSeconds(10)).until(() -> sms.refusedCount() > 0);
            JsonNode failing = await().atMost(Duration.ofSeconds(10)).until(() -> api("/api/critical-results/" + id),
                    x -> x.path("notifications").size() == 2 && x.path("notifications").get(1).path("attempts").asInt() >= 1);
            JsonNode pager = failing.path("notifications").get(1);
            assertThat(pager.path("channel").asText()).isEqualTo("sms");
            assertThat(pager.path("recipient").asText()).isEqualTo("R2001");
            assertThat(pager.path("delivered").asBoolean()).isFalse();
            assertThat(pager.path("state").asText()).isEqualTo("RETRY");
            assertThat(pager.path("error").asText()).contains("503");
            assertThat(events(failing)).contains("NOTIFICATION_FAILED");

            // The gateway is back; 30 s later (the configured retry) the page goes out, with the phone number to call.
            sms.answer(200);
            clock.advance(Duration.ofSeconds(31));
            List<SmsGateway.Received> page = await().atMost(Duration.ofSeconds(10)).until(() -> sms.about(acc), l -> l.size() == 1);
            assertThat(page.get(0).to()).isEqualTo("+447700900201");
            assertThat(page.get(0).message()).contains("Please phone the ordering clinician (D9999)");
            JsonNode delivered = api("/api/critical-results/" + id);
            assertThat(delivered.path("notifications").get(1).path("delivered").asBoolean()).isTrue();
            assertThat(delivered.path("notifications").get(1).path("attempts").asInt()).isEqualTo(2);
            assertThat(get(link(page.get(0).message()), "application/json").statusCode()).isEqualTo(200);
            assertThat(api("/api/critical-results/" + id).path("acknowledgedBy").asText()).isEqualTo("Dr Dev Reader (R2001)");
        } finally {
            sms.answer(200);
        }
    }

    @Test
    void whereTheFacilityAsksForConfirmationOnlyTheButtonAcknowledges() throws Exception {
        String acc = newAccession();
        long id = notifier.open(new CriticalResult("report-" + acc, "northgate-imaging", acc, null, 2,
                "New large left pleural effusion.", "N1", null));
        String link = link((String) await().atMost(Duration.ofSeconds(10))
                .until(() -> mailAbout(acc, NORTHGATE), l -> l.size() == 1).get(0).getContent());

        // Opening the link (a mail scanner does the same) shows the button and acknowledges nothing.
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> page = get(link, "text/html");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Acknowledge critical result")
                    .contains("<form method=\"post\" action=\"/ack/" + link.substring(link.lastIndexOf('/') + 1) + "\">");
        }
        assertThat(api("/api/critical-results/" + id).path("state").asText()).isEqualTo("OPEN");

        HttpResponse<String> pressed = HTTP.send(HttpRequest.newBuilder(URI.create(link)).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pressed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(pressed.body()).path("acknowledged").asBoolean()).isTrue();
        JsonNode closed = api("/api/critical-results/" + id);
        assertThat(closed.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(closed.path("acknowledgedBy").asText()).isEqualTo("Dr Nina North (N1)");
        assertThat(get(link, "application/json").statusCode()).isEqualTo(410);
    }

    @Test
    void aRunningEngineRefusesABrokenDirectoryChangeAndKeepsThePreviousOne() throws Exception {
        Path file = conf.resolve("directory/northgate-imaging.yaml");
        String valid = Files.readString(file);
        try {
            Files.writeString(file, valid.replace("step: ordering-clinician", "step: ordering-clinician\n    acknowledgeWithin: soon"));
            JsonNode refused = await().atMost(Duration.ofSeconds(10)).until(() -> api("/api/critical-results?limit=1"),
                    r -> r.path("configurationProblems").size() > 0);
            assertThat(refused.path("configurationProblems").get(0).asText())
                    .isEqualTo(file + ":10: escalation[0].acknowledgeWithin: does not match the regex pattern ^[1-9][0-9]*(m|h|d)$");
            // The previous directory still runs: Dr North is still notified.
            String acc = newAccession();
            notifier.open(new CriticalResult("report-" + acc, "northgate-imaging", acc, null, 3, "Incidental 3 cm adrenal mass.",
                    "N1", null));
            await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout(acc, NORTHGATE), l -> l.size() == 1);
        } finally {
            Files.writeString(file, valid);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> api("/api/critical-results?limit=1"),
                r -> r.path("configurationProblems").isEmpty());
    }

    // --- helpers -----------------------------------------------------------------------------------

    static List<MimeMessage> mailAbout(String accession, String to) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(to) && ((String) m.getContent()).contains(accession);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String link(String text) {
        Matcher m = LINK.matcher(text);
        assertThat(m.find()).as("an acknowledgement link in: %s", text).isTrue();
        return m.group();
    }

    static String flip(String token) {
        char c = token.charAt(10);
        return token.substring(0, 10) + (c == 'A' ? 'B' : 'A') + token.substring(11);
    }

    /** The id of the critical result of this accession, from the API. */
    static long openResultFor(String accession) throws Exception {
        for (JsonNode r : api("/api/critical-results").path("results")) {
            if (accession.equals(r.path("accessionNumber").asText())) return r.path("id").asLong();
        }
        throw new AssertionError("no critical result for " + accession);
    }

    static List<String> events(JsonNode result) {
        return result.path("timeline").findValuesAsText("event");
    }

    static List<Long> ids(JsonNode list) {
        return list.path("results").findValues("id").stream().filter(JsonNode::isNumber).map(JsonNode::asLong).toList();
    }

    static String base() {
        return "http://127.0.0.1:" + engine.settings().get("radloop.http.port", null);
    }

    static JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(base() + path, "application/json", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        return get(url, accept, false);
    }

    static HttpResponse<String> get(String url, String accept, boolean token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).timeout(Duration.ofSeconds(20)).GET();
        if (token) b.header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + engine.settings().get("radloop.api.token", null))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
