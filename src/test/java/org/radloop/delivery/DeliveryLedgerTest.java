package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.RetryPolicy;
import org.radloop.ingest.MutableClock;
import org.radloop.model.Delivery;
import org.radloop.model.Store;
import org.radloop.support.TestDatabases;

/**
 * The delivery rows on both databases (V8 migration): one row per report version and channel
 * however many consumers race to make it, one winner per attempt, retries due on the clock, rows
 * left SENT by a stopped node released after the lease, and all of it surviving a store restart.
 */
class DeliveryLedgerTest {

    @TempDir
    Path dir;

    @Test
    void onH2() throws Exception {
        String url = Store.embeddedUrl(dir);
        exercise(() -> Store.open(url, "sa", "", 8));
    }

    @Test
    void onPostgres() throws Exception {
        String url = TestDatabases.freshPostgresSchema();
        try {
            exercise(() -> Store.open(url, null, null, 8));
        } finally {
            TestDatabases.dropSchemaOf(url);
        }
    }

    private void exercise(Callable<Store> open) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
        ReportForDelivery report = DeliveryFixture.report("L1", 1, ReportForDelivery.Status.FINAL, "1.2.3");
        DeliveryChannel channel = new DeliveryChannel("ris", ChannelType.HL7_ORU, true,
                new ObjectMapper().createObjectNode(), new RetryPolicy(3, Duration.ofSeconds(60), 2, Duration.ofHours(1)));
        long id;
        try (Store store = open.call()) {
            DeliveryLedger ledger = new DeliveryLedger(store, clock);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                // six consumers of the same message at once: one row
                List<Future<Long>> made = new ArrayList<>();
                for (int i = 0; i < 6; i++) made.add(pool.submit(() -> ledger.ensure(report, channel)));
                Set<Long> ids = new HashSet<>();
                for (Future<Long> f : made) ids.add(f.get());
                assertThat(ids).hasSize(1);
                id = ids.iterator().next();
                // six attempts at once: one winner
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < 6; i++) claims.add(pool.submit(() -> ledger.claim(id)));
                int won = 0;
                for (Future<Boolean> f : claims) if (f.get()) won++;
                assertThat(won).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(ledger.find(id).getState()).isEqualTo(Delivery.State.SENT);
            // no answer: due again after the backoff, not before
            ledger.finish(id, null, new DeliveryLedger.Outcome(Delivery.State.PENDING, null, null, "no ACK",
                    clock.instant().plus(channel.retry().delayAfter(1)), null));
            assertThat(ledger.due(10)).isEmpty();
            assertThat(ledger.claim(id)).isFalse();
            clock.advance(Duration.ofSeconds(60));
            assertThat(ledger.due(10)).containsExactly(id);
            assertThat(ledger.claim(id)).isTrue();
            // the node stops while waiting for the answer: the row stays SENT ...
        }
        try (Store store = open.call()) {
            DeliveryLedger ledger = new DeliveryLedger(store, clock);
            assertThat(ledger.ensure(report, channel)).isEqualTo(id);
            assertThat(ledger.find(id).getState()).isEqualTo(Delivery.State.SENT);
            assertThat(ledger.releaseStale(Duration.ofMinutes(10))).isZero();
            // ... until the lease has passed; then it is sent again
            clock.advance(Duration.ofMinutes(11));
            assertThat(ledger.releaseStale(Duration.ofMinutes(10))).isEqualTo(1);
            assertThat(ledger.claim(id)).isTrue();
            Delivery done = ledger.finish(id, null, new DeliveryLedger.Outcome(Delivery.State.DELIVERED, "RL" + id, "AA", null, null, null));
            assertThat(done.getAttempts()).isEqualTo(3);
            assertThat(done.getDeliveredAt()).isEqualTo(clock.instant());
            // delivered: never due again, whatever is redelivered
            clock.advance(Duration.ofDays(1));
            assertThat(ledger.due(10)).isEmpty();
            assertThat(ledger.claim(id)).isFalse();
            assertThat(ledger.ensure(report, channel)).isEqualTo(id);
            // a corrected version is another delivery
            assertThat(ledger.ensure(DeliveryFixture.report("L1", 2, ReportForDelivery.Status.CORRECTED, "1.2.3"), channel)).isNotEqualTo(id);
            // an analyst's resend: PENDING again, fresh attempts, counted
            Delivery again = ledger.resend(id, "test");
            assertThat(again.getState()).isEqualTo(Delivery.State.PENDING);
            assertThat(again.getAttempts()).isZero();
            assertThat(again.getResendCount()).isEqualTo(1);
            assertThat(ledger.claim(id)).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.resend(id, "test"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("being sent right now");
        }
    }
}
