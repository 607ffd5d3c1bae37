package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The QC stage's hand-over record and the small rules around it. */
class CriticalResultTest {

    @Test
    void theOrderingClinicianIdIsReadFromTheOrdersProvider() {
        assertThat(CriticalResult.clinicianId("Example, Ada [D1001]")).isEqualTo("D1001");
        assertThat(CriticalResult.clinicianId("D1001")).isEqualTo("D1001");
        assertThat(CriticalResult.clinicianId("Example, Ada")).isNull();
        assertThat(CriticalResult.clinicianId(" ")).isNull();
        assertThat(CriticalResult.clinicianId(null)).isNull();
    }

    @Test
    void aCriticalResultNeedsReportFacilityCategoryAndFinding() {
        assertThatThrownBy(() -> new CriticalResult("r", "f", "a", null, 4, "x", "D1", "R1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1, 2 or 3");
        assertThatThrownBy(() -> new CriticalResult(" ", "f", "a", null, 1, "x", "D1", "R1"))
                .hasMessageContaining("report id");
        assertThatThrownBy(() -> new CriticalResult("r", "f", "a", null, 1, "", "D1", "R1"))
                .hasMessageContaining("finding");
    }

    @Test
    void theSameFindingWrittenDifferentlyIsTheSameFinding() {
        assertThat(CriticalResultNotifier.findingKey("Tension  pneumothorax\n"))
                .isEqualTo(CriticalResultNotifier.findingKey("tension pneumothorax"))
                .isNotEqualTo(CriticalResultNotifier.findingKey("tension pneumothorax, left"));
    }

    @Test
    void retriesWaitLongerEachTimeAndStop() {
        CriticalResultPolicy policy = CriticalResultPolicy.DEFAULT; // 3 attempts, 30 s
        assertThat(policy.retryDelay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.retryDelay(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.retryDelay(3)).isNull();
    }

    @Test
    void linksAreRandomAndOnlyWellFormedOnesAreLookedUp() {
        AcknowledgementLink links = new AcknowledgementLink("https://radloop.example.org/");
        String a = links.newToken();
        String b = links.newToken();
        assertThat(a).isNotEqualTo(b).hasSize(43);
        assertThat(AcknowledgementLink.wellFormed(a)).isTrue();
        assertThat(AcknowledgementLink.wellFormed(a + "x")).isFalse();
        assertThat(AcknowledgementLink.wellFormed("../../etc/passwd")).isFalse();
        assertThat(links.url(a)).isEqualTo("https://radloop.example.org/ack/" + a);
        assertThat(AcknowledgementLink.hash(a)).hasSize(64).isNotEqualTo(AcknowledgementLink.hash(b)).doesNotContain(a);
    }
}
