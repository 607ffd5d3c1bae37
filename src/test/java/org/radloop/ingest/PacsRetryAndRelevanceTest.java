package org.radloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.radloop.config.RetryPolicy;
import org.radloop.model.PriorSearch;

/** The retry schedule of forwarding and prior searches, and how priors are ranked. */
class PacsRetryAndRelevanceTest {

    static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheMaximumAndStopsAfterTheLastAttempt() {
        RetryPolicy p = RetryPolicy.doubling(Duration.ofSeconds(10), Duration.ofMinutes(1), 5);
        assertThat(p.nextAttempt(1, NOW)).isEqualTo(NOW.plusSeconds(10));
        assertThat(p.nextAttempt(2, NOW)).isEqualTo(NOW.plusSeconds(20));
        assertThat(p.nextAttempt(3, NOW)).isEqualTo(NOW.plusSeconds(40));
        assertThat(p.nextAttempt(4, NOW)).as("capped").isEqualTo(NOW.plusSeconds(60));
        assertThat(p.nextAttempt(5, NOW)).as("attempts used up").isNull();
        RetryPolicy many = RetryPolicy.doubling(Duration.ofSeconds(10), Duration.ofMinutes(10), 1000);
        assertThat(many.nextAttempt(200, NOW)).as("no overflow after many attempts").isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void aFailedAttemptKeepsItsReasonCutToTheColumnAndTheLastDueTimeOnceTheAttemptsAreUsedUp() {
        PriorSearch search = new PriorSearch("st-marys", 1L, NOW);
        search.started(NOW, NOW.plusSeconds(300));
        assertThat(search.getAttempts()).isEqualTo(1);
        assertThat(search.getNextAttemptAt()).as("held by the running attempt").isEqualTo(NOW.plusSeconds(300));

        search.attemptFailed("C-FIND refused", NOW.plusSeconds(1), NOW.plusSeconds(30));
        assertThat(search.getState()).isEqualTo(PriorSearch.State.PENDING);
        assertThat(search.getNextAttemptAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(search.getLastError()).isEqualTo("C-FIND refused");

        search.started(NOW.plusSeconds(30), NOW.plusSeconds(330));
        search.attemptFailed("x".repeat(1500), NOW.plusSeconds(31), null);
        assertThat(search.getState()).isEqualTo(PriorSearch.State.FAILED);
        assertThat(search.getNextAttemptAt()).as("no retry: the last due time stays").isEqualTo(NOW.plusSeconds(330));
        assertThat(search.getLastError()).hasSize(1000).endsWith("...").startsWith("x".repeat(997));

        search.requeue(NOW.plusSeconds(60));
        assertThat(search.getState()).isEqualTo(PriorSearch.State.PENDING);
        assertThat(search.getAttempts()).as("a fresh set of attempts").isZero();
        assertThat(search.getNextAttemptAt()).isEqualTo(NOW.plusSeconds(60));
        search.done(NOW.plusSeconds(61));
        assertThat(search.getLastError()).as("cleared by success").isNull();
    }

    @Test
    void sameModalityAndBodyPartRankFirstThenTheMostRecentAndUnrelatedStudiesAreNotChosen() {
        Set<String> ct = Set.of("CT");
        var headOld = candidate("head-2019", "2019-01-01", Set.of("CT"), "HEAD", null, ct, "HEAD");
        var headNew = candidate("head-2024", "2024-01-01", Set.of("CT"), null, "CT HEAD W/O", ct, "HEAD");
        var chest = candidate("chest-2025", "2025-01-01", Set.of("CT"), "CHEST", null, ct, "HEAD");
        var mrHead = candidate("mr-head-2025", "2025-06-01", Set.of("MR"), "HEAD", null, ct, "HEAD");
        var knee = candidate("mr-knee-2025", "2025-06-01", Set.of("MR"), "KNEE", null, ct, "HEAD");
        assertThat(headNew.relevance()).as("body part from the description when the PACS gives none").isEqualTo(3);
        assertThat(knee.relevance()).isZero();

        List<PriorRelevance.Candidate> chosen = PriorRelevance.choose(List.of(knee, mrHead, chest, headOld, headNew), 4);
        assertThat(chosen).extracting(PriorRelevance.Candidate::studyUid)
                .containsExactly("head-2024", "head-2019", "chest-2025", "mr-head-2025");
        assertThat(PriorRelevance.choose(List.of(knee, mrHead, chest, headOld, headNew), 1))
                .extracting(PriorRelevance.Candidate::studyUid).containsExactly("head-2024");
        assertThat(PriorRelevance.modalities("CT\\SR")).containsExactly("CT", "SR");
    }

    private static PriorRelevance.Candidate candidate(String uid, String date, Set<String> modalities, String bodyPart,
                                                      String description, Set<String> studyModalities, String studyBodyPart) {
        return new PriorRelevance.Candidate(uid, LocalDate.parse(date), description, modalities, bodyPart, 1,
                PriorRelevance.score(studyModalities, studyBodyPart, modalities, bodyPart, description));
    }
}
