package org.radloop.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.TestEngine;

/** routeRefused=true: a refused instance reaches the route too, marked, and stays refused. */
class DicomScpRefusedRoutingTest {

    @TempDir
    Path work;

    @Test
    void routesRefusedInstancesWithTheirReasonWhileTheSenderStillGetsAFailure() throws Exception {
        int port = TestEngine.freePort();
        Path quarantine = work.resolve("held");
        ConcurrentLinkedQueue<Map<String, Object>> routed = new ConcurrentLinkedQueue<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("dicom:scp?aeTitle=RADLOOP&host=127.0.0.1&port=" + port + "&storageDir=" + work.resolve("dicom")
                            + "&quarantineDir=" + quarantine + "&routeRefused=true")
                            .process(e -> routed.add(new LinkedHashMap<>(e.getIn().getHeaders())));
                }
            });
            camel.start();
            List<Path> slices = DicomSamples.syntheticCtSeries(work.resolve("send"), 2);
            Path truncated = DicomSamples.truncatedCopy(slices.get(0), work.resolve("send/truncated.dcm"), 700);

            List<String> outcomes = PixelmedSender.sendOnOneAssociation(port, "CT1", List.of(truncated, slices.get(1)));

            assertThat(outcomes).containsExactly("failed", "ok");
            assertThat(routed).hasSize(2);
            Map<String, Object> refused = routed.stream().filter(h -> h.containsKey(DicomConstants.QUARANTINE_REASON)).findFirst().orElseThrow();
            assertThat((String) refused.get(DicomConstants.QUARANTINE_REASON)).contains("truncated");
            assertThat(refused).containsEntry(DicomConstants.STATUS, DicomStatus.CANNOT_UNDERSTAND);
            Path kept = (Path) refused.get(DicomConstants.FILE);
            assertThat(kept.getParent()).isEqualTo(quarantine);
            assertThat(Files.readAllBytes(kept)).endsWith(DicomSamples.dataSetBytes(truncated));
            assertThat(routed).filteredOn(h -> !h.containsKey(DicomConstants.QUARANTINE_REASON))
                    .singleElement().satisfies(h -> assertThat(h).containsEntry(DicomConstants.DUPLICATE, "NONE"));
        }
    }
}
