package org.radloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.TestEngine;

/**
 * {@code radloop demo} end to end with a small number of studies: a real engine, the simulated RIS
 * (HL7 over MLLP both ways), modalities (DICOM C-STORE), radiologists and clinicians, then the
 * learning step, and the demo's own summary checked: every study signed (and delivered when the
 * QC-and-delivery stage is wired, otherwise the summary says so), critical ones read first.
 */
class DemoRunTest {

    @TempDir
    Path dir;

    @Test
    void theDemoRunsTheLoopEndToEndAndItsSummaryShowsEveryStudySignedCriticalOnesFirst() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoSummary s = new DemoRun(TestEngine.projectHome(), new DemoRun.Options(9, 0, dir.resolve("demo"), 150, 12, false),
                new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String out = console.toString(StandardCharsets.UTF_8);

        assertThat(s.planned()).isEqualTo(9);
        assertThat(s.counts().received()).as(out).isEqualTo(9);
        assertThat(s.signed()).as(out).isEqualTo(9);
        if (s.deliveryWired()) {
            assertThat(s.delivered()).as("every signed report came back to its RIS as ORU^R01\n" + out).isEqualTo(9);
        } else {
            assertThat(s.text()).contains("delivery is not wired on this build");
        }
        // The live progress line was printed per stage.
        assertThat(out).contains("[demo] received").contains("| triaged").contains("| signed 9");

        // Critical studies (an image finding made them critical) were read before routine work.
        DemoSummary.UrgencyRow critical = s.rows().stream().filter(r -> r.urgency().equals("critical")).findFirst().orElseThrow();
        DemoSummary.UrgencyRow routine = s.rows().stream().filter(r -> r.urgency().equals("routine")).findFirst().orElseThrow();
        assertThat(critical.studies()).as(s.text()).isGreaterThanOrEqualTo(2);
        // Per radiologist: a critical case that arrived while less urgent work was still unopened was opened first.
        var order = s.criticalFirst();
        assertThat(order.get("violations")).as(s.text()).isEmpty();
        assertThat(order.get("overtaken")).as("the run gave critical cases queued work to overtake\n" + s.text()).isNotEmpty();
        assertThat(routine.studies()).isPositive();
        assertThat(s.rows().stream().mapToInt(DemoSummary.UrgencyRow::studies).sum()).isEqualTo(9);

        // Both models were put to the learning step, with numbers or the reason there were none.
        assertThat(s.learning().models()).hasSize(2).allSatisfy(m ->
                assertThat(m.refused() != null || m.aucAfter() != null).as(m.toString()).isTrue());
        assertThat(s.text()).contains("Time to signed report").contains("FIFO is computed").contains("Critical alerts: sent");

        Path html = dir.resolve("demo/demo-report.html");
        assertThat(html).isRegularFile();
        assertThat(Files.readString(html)).contains("<svg").contains("Time to signed report by urgency").doesNotContain("<script");
        // The demo's conf is its own copy with its three facilities; the project's conf/ is untouched.
        assertThat(dir.resolve("demo/conf/facilities")).isDirectoryContaining("glob:**/demo-hospital.yaml")
                .isDirectoryContaining("glob:**/demo-imaging-chain.yaml").isDirectoryContaining("glob:**/demo-telerad-client.yaml");
        assertThat(TestEngine.projectHome().resolve("conf/facilities/demo-hospital.yaml")).doesNotExist();
    }
}
