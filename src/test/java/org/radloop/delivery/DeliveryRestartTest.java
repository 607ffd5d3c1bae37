package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.ingest.MutableClock;
import org.radloop.model.Delivery;
import org.radloop.support.Hl7ResultsPeer;
import org.radloop.support.TestEngine;

/**
 * A restarted engine (same data folder) sends nothing it delivered before, even when the approval
 * comes again; an attempt the stopped engine left without an outcome is sent again after the lease
 * with the same MSH-10, so the RIS can recognise the repeat.
 */
class DeliveryRestartTest {

    @TempDir
    Path dir;

    @Test
    void restartSendsNothingTwiceAndFinishesWhatWasInFlight() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
        DeliveryFixture.Reports reports = new DeliveryFixture.Reports();
        reports.add(DeliveryFixture.report("R600", 1, ReportForDelivery.Status.FINAL, "1.2.826.0.1.3680043.10.1.600"));
        try (Hl7ResultsPeer ris = Hl7ResultsPeer.start(TestEngine.freePort(), Hl7ResultsPeer.Answer.AA)) {
            Path conf = DeliveryFixture.conf(dir.resolve("conf"), """
                    - channel: hl7-oru
                      name: ris
                      host: 127.0.0.1
                      port: %d
                    """.formatted(ris.port()));
            long id;
            try (RadLoopEngine first = DeliveryFixture.start(dir.resolve("data"), conf, clock, reports)) {
                id = DeliveryFixture.awaitState(announce(first), "R600", 1, "ris", Delivery.State.DELIVERED).getId();
                assertThat(ris.received()).hasSize(1);
                // make it look as if this engine had stopped while waiting for the ACK of the report
                first.store().inTransaction(s -> s.createMutationQuery(
                        "update Delivery set state = :sent, lastAttemptAt = :now where id = :id")
                        .setParameter("sent", Delivery.State.SENT).setParameter("now", clock.instant()).setParameter("id", id)
                        .executeUpdate());
            }
            try (RadLoopEngine second = DeliveryFixture.start(dir.resolve("data"), conf, clock, reports)) {
                announce(second);
                await().atMost(Duration.ofSeconds(30)).until(() -> second.broker().depth(Stage.DELIVER.queue()) == 0);
                Thread.sleep(1000);
                // within the lease the attempt may still be running somewhere: nothing is sent
                assertThat(ris.received()).hasSize(1);
                assertThat(DeliveryFixture.delivery(second, "R600", 1, "ris").getState()).isEqualTo(Delivery.State.SENT);
                clock.advance(Duration.ofMinutes(11));
                DeliveryFixture.awaitState(second, "R600", 1, "ris", Delivery.State.DELIVERED);
                assertThat(ris.received()).hasSize(2);
                String control = "|RL" + id + "|";
                assertThat(ris.received()).allSatisfy(m -> assertThat(m).contains(control));
                // and delivered stays delivered
                announce(second);
                clock.advance(Duration.ofHours(1));
                Thread.sleep(1000);
                assertThat(ris.received()).hasSize(2);
                assertThat(DeliveryFixture.deliveries(second, "R600")).hasSize(1);
            }
        }
    }

    private static RadLoopEngine announce(RadLoopEngine engine) {
        DeliveryFixture.announce(engine, "R600");
        return engine;
    }
}
