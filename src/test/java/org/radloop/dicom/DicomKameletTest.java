package org.radloop.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.DcmtkTool;
import org.radloop.support.TestEngine;

/**
 * The connectors in connectors/: a DICOM router built only from dicom-scp-source and
 * dicom-store-sink (storescu -> front SCP -> sink -> back SCP) proves both Kamelets resolve,
 * pass their parameters and keep the bytes.
 */
class DicomKameletTest {

    @TempDir
    Path work;

    @Test
    void routesInstancesFromTheScpSourceToTheStoreSink() throws Exception {
        int front = TestEngine.freePort();
        int back = TestEngine.freePort();
        ConcurrentLinkedQueue<Map<String, Object>> arrived = new ConcurrentLinkedQueue<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getComponent("kamelet", KameletComponent.class)
                    .setLocation("file:" + TestEngine.projectHome().resolve("connectors"));
            camel.getRegistry().bind("frontDoor", CallingAeTitlePolicy.allowList("CT1"));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:dicom-scp-source?aeTitle=FRONT&host=127.0.0.1&port=" + front
                            + "&storageDir=" + work.resolve("front") + "&associationPolicy=#frontDoor")
                            .to("kamelet:dicom-store-sink?aeTitle=FRONT&remoteAeTitle=BACK&remoteHost=127.0.0.1&remotePort=" + back);
                    from("kamelet:dicom-scp-source?aeTitle=BACK&host=127.0.0.1&port=" + back + "&storageDir=" + work.resolve("back"))
                            .process(e -> arrived.add(new LinkedHashMap<>(e.getIn().getHeaders())));
                }
            });
            camel.start();

            List<Path> series = new ArrayList<>();
            for (Path slice : DicomSamples.syntheticCtSeries(work.resolve("pixelmed"), 3)) {
                series.add(DicomSamples.asDcmtkSendsIt(slice, work.resolve("series").resolve(slice.getFileName())));
            }
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "CT1", "-aec", "FRONT", "127.0.0.1", Integer.toString(front)));
            series.forEach(p -> cmd.add(p.toString()));
            DcmtkTool.Result sent = DcmtkTool.run(cmd);
            assertThat(sent.succeeded()).as(sent.output()).isTrue();

            // The sink runs inside the front route, so the front acknowledged only after the back stored.
            assertThat(arrived).hasSize(3).allSatisfy(h -> assertThat(h).containsEntry(DicomConstants.CALLING_AE_TITLE, "FRONT"));
            for (Path original : series) {
                String sha = Part10.sha256OfDataSet(original);
                Map<String, Object> h = arrived.stream().filter(x -> sha.equals(x.get(DicomConstants.SHA256))).findFirst().orElseThrow();
                assertThat(DicomSamples.dataSetBytes((Path) h.get(DicomConstants.FILE))).isEqualTo(DicomSamples.dataSetBytes(original));
            }

            DcmtkTool.Result stranger = DcmtkTool.run("echoscu", "-aet", "STRANGER", "-aec", "FRONT", "127.0.0.1", Integer.toString(front));
            assertThat(stranger.succeeded()).isFalse();
            assertThat(Files.exists(work.resolve("front"))).isTrue();
        }
    }
}
