package org.radloop.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.delivery.CriticalResultLoop;
import org.radloop.delivery.SmsGateway;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.OnCallPage;
import org.radloop.model.ReadingCase;

/**
 * The on-call chain of a critical case nobody qualifies for, sent for real: email to GreenMail and
 * pages to a real HTTP SMS/pager gateway through the critical-results channels; the next entry is
 * paged when the clock passes the answer time, or at once when the page reached nobody; a claim
 * stops the chain. The pages carry the case's details and no patient name, identifier or history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnCallPagingTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    /** Nobody reads neuro on a Monday: the neuro reader works Saturdays, the other reads body only. */
    static final String ROSTER = """
            policy:
              generalCoverAfterMinutes: {critical: 60, urgent: 60, routine: 120}
              openWithinMinutes: {critical: 5, urgent: 30, routine: 240}
              onCallAnswerWithinMinutes: 10
              onCall:
                - {radiologist: weekend, name: Dr Wendy Weekend, email: wendy@oncall.example, pager: "+447700900501"}
                - {name: Duty consultant, email: duty@oncall.example}
            radiologists:
              - {id: weekend, name: Dr Wendy Weekend, subspecialties: [neuro], privileges: [st-marys], licences: [GB-ENG],
                 timeZone: Europe/London, shifts: [{days: [SAT], start: "08:00", end: "20:00"}], maxOpenCases: 10, rvuPerHour: 20}
              - {id: body-only, name: Dr Body, subspecialties: [body], privileges: [st-marys], licences: [GB-ENG],
                 timeZone: Europe/London, shifts: [{days: [MON, TUE, WED, THU, FRI, SAT, SUN], start: "00:00", end: "24:00"}],
                 maxOpenCases: 10, rvuPerHour: 20}
            """;

    @TempDir
    static Path folder;
    static RadLoopEngine engine;
    static SmsGateway sms;
    static CaseRouter router;
    static CaseDesk desk;
    static final MutableClock clock = new MutableClock(RoutingEngines.MONDAY_10);
    static int n;

    @BeforeAll
    static void start() throws Exception {
        sms = new SmsGateway();
        Properties p = RoutingEngines.settings(folder, ROSTER);
        // On-call pages go out through the facility's critical-results channels (its email sender and SMS gateway).
        Files.writeString(folder.resolve("conf/directory/st-marys.yaml"), CriticalResultLoop.directory(sms.url()));
        p.setProperty("radloop.mail.smtp.host", "127.0.0.1");
        p.setProperty("radloop.mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        engine = RoutingEngines.start(p, clock);
        router = engine.camel().getRegistry().lookupByNameAndType("caseRouter", CaseRouter.class);
        desk = engine.camel().getRegistry().lookupByNameAndType("caseDesk", CaseDesk.class);
    }

    @AfterAll
    static void stop() {
        if (engine != null) engine.close();
        if (sms != null) sms.close();
    }

    static ReadingCase criticalHeadCt(String accession) {
        String uid = RoutingEngines.triaged(engine, clock, "MRN-OC-" + (++n), accession, "ct-head-noncontrast", "CT", "HEAD",
                "CRITICAL", 9, List.of());
        await().atMost(Duration.ofSeconds(15)).until(() -> RoutingEngines.caseOf(engine, uid) != null);
        return RoutingEngines.caseOf(engine, uid);
    }

    static List<MimeMessage> mailTo(String address, String accession) throws Exception {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address) && ((String) m.getContent()).contains(accession);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    static List<String> actions(long caseId) {
        return engine.store().fromTransaction(s -> s.createQuery("select action from AssignmentRecord where caseId = :c order by id", String.class)
                .setParameter("c", caseId).list());
    }

    static List<OnCallPage> pages(long caseId) {
        return engine.store().fromTransaction(s -> s.createQuery("from OnCallPage where caseId = :c order by id", OnCallPage.class)
                .setParameter("c", caseId).list());
    }

    @Test
    @Order(1)
    void theFirstOnCallIsPagedByEmailAndSmsTheNextWhenNobodyClaimsAndAClaimStopsTheChain() throws Exception {
        String acc = "ACC-OC-1";
        ReadingCase c = criticalHeadCt(acc);
        assertThat(c.getState()).isEqualTo(ReadingCase.State.WAITING);

        // On-call 1: an email and a page, both with the case's details and nothing about the patient.
        MimeMessage mail = await().atMost(Duration.ofSeconds(10)).until(() -> mailTo("wendy@oncall.example", acc), l -> l.size() == 1).get(0);
        String body = (String) mail.getContent();
        assertThat(mail.getSubject()).contains("Critical case waiting").contains("10 min");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("radiology-critical@st-marys.example");
        assertThat(body).contains("Case:      " + c.getId()).contains("Accession: " + acc).contains("ct-head-noncontrast (neuro)")
                .contains("you are first on call").contains("on-call 1 of 2").contains("/api/cases/" + c.getId() + "/claim");
        List<SmsGateway.Received> texts = await().atMost(Duration.ofSeconds(10)).until(() -> sms.about(acc), l -> l.size() == 1);
        assertThat(texts.get(0).to()).isEqualTo("+447700900501");
        assertThat(texts.get(0).message()).contains("CRITICAL case waiting").contains("Claim case " + c.getId());
        for (String text : List.of(body, mail.getSubject(), texts.get(0).message())) {
            assertThat(text).doesNotContain("MRN-OC-").doesNotContain("Test").doesNotContain("Pat")
                    .doesNotContain("headache").doesNotContain("House");
        }
        // The page's row commits just after the channels accepted it.
        await().atMost(Duration.ofSeconds(10)).until(() -> pages(c.getId()).get(0).getState() == OnCallPage.State.SENT);
        assertThat(pages(c.getId())).singleElement().satisfies(p -> {
            assertThat(p.getOutcome()).contains("email to wendy@oncall.example: sent").contains("sms to +447700900501: sent");
        });
        assertThat(mailTo("duty@oncall.example", acc)).isEmpty();

        // Not claimed, but the answer time has not passed: nobody else is paged.
        clock.advance(Duration.ofMinutes(9));
        router.sweep();
        assertThat(mailTo("duty@oncall.example", acc)).isEmpty();

        // Past it: on-call 2 is paged (email only), told who did not answer.
        clock.advance(Duration.ofMinutes(2));
        router.sweep();
        MimeMessage second = await().atMost(Duration.ofSeconds(10)).until(() -> mailTo("duty@oncall.example", acc), l -> l.size() == 1).get(0);
        assertThat((String) second.getContent()).contains("Dr Wendy Weekend did not take it within 10 min").contains("on-call 2 of 2");
        assertThat(sms.about(acc)).hasSize(1);

        // The on-call radiologist claims it: the chain stops, and nothing more is sent when the time passes.
        desk.claim(c.getId(), "weekend");
        clock.advance(Duration.ofMinutes(30));
        router.sweep();
        assertThat(actions(c.getId())).containsExactly(AssignmentRecord.QUEUED, AssignmentRecord.ON_CALL_ALERT, AssignmentRecord.ON_CALL_SENT,
                AssignmentRecord.ON_CALL_ESCALATED, AssignmentRecord.ON_CALL_SENT, AssignmentRecord.CLAIMED, AssignmentRecord.ON_CALL_STOPPED);
        assertThat(mailTo("wendy@oncall.example", acc)).hasSize(1);
        assertThat(mailTo("duty@oncall.example", acc)).hasSize(1);
        assertThat(router.checkReaderLoads()).isEmpty();
    }

    /**
     * A slow SMS gateway must not hold up the reader who claims the case: the page is sent outside
     * any transaction (it used to keep the page's row locked, and the claim, which stops the chain,
     * waited for the gateway).
     */
    @Test
    @Order(2)
    void aClaimGoesThroughWhileAPageIsStillBeingSent() throws Exception {
        String acc = "ACC-OC-3";
        sms.hold();
        ReadingCase c;
        try {
            c = criticalHeadCt(acc);
            await().atMost(Duration.ofSeconds(15)).until(() -> sms.holding(acc));
            desk.claim(c.getId(), "weekend");
            assertThat(RoutingEngines.caseOf(engine, c.getStudyUid()).getRadiologistId()).isEqualTo("weekend");
            assertThat(sms.about(acc)).as("the page is still with the gateway").isEmpty();
        } finally {
            sms.release();
        }
        // The page the gateway took is recorded; the chain stays stopped.
        await().atMost(Duration.ofSeconds(15)).until(() -> actions(c.getId()).contains(AssignmentRecord.ON_CALL_SENT));
        clock.advance(Duration.ofMinutes(30));
        router.sweep();
        assertThat(actions(c.getId())).contains(AssignmentRecord.CLAIMED, AssignmentRecord.ON_CALL_STOPPED)
                .doesNotContain(AssignmentRecord.ON_CALL_ESCALATED);
        assertThat(mailTo("duty@oncall.example", acc)).isEmpty();
        assertThat(sms.about(acc)).hasSize(1);
    }

    /** Last: GreenMail comes back on another port, so no later test could read its mail. */
    @Test
    @Order(3)
    void aPageThatReachesNobodyEscalatesAtOnceAndAnExhaustedChainIsRecorded() throws Exception {
        String acc = "ACC-OC-2";
        sms.answer(503);
        MAIL.stop(); // no SMTP server either: on-call 1 cannot be reached by any channel
        try {
            ReadingCase c = criticalHeadCt(acc);
            await().atMost(Duration.ofSeconds(15)).until(() -> actions(c.getId()).contains(AssignmentRecord.ON_CALL_EXHAUSTED));
            assertThat(actions(c.getId())).containsExactly(AssignmentRecord.QUEUED, AssignmentRecord.ON_CALL_ALERT, AssignmentRecord.ON_CALL_FAILED,
                    AssignmentRecord.ON_CALL_ESCALATED, AssignmentRecord.ON_CALL_FAILED, AssignmentRecord.ON_CALL_EXHAUSTED);
            assertThat(pages(c.getId())).extracting(OnCallPage::getState).containsExactly(OnCallPage.State.FAILED, OnCallPage.State.FAILED);
            assertThat(pages(c.getId()).get(0).getOutcome()).contains("sms to +447700900501").contains("503");
            assertThat(RoutingEngines.caseOf(engine, c.getStudyUid()).getState()).isEqualTo(ReadingCase.State.WAITING);
        } finally {
            sms.answer(200);
        }
    }
}
