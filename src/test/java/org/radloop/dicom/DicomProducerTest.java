package org.radloop.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.OrthancPeer;
import org.radloop.support.SilentPeer;
import org.radloop.support.TestEngine;

import static org.awaitility.Awaitility.await;

/**
 * The producer operations (echo, store, find, move) against a real Orthanc, and store against
 * RadLoop's own SCP where the exact original bytes can be compared.
 */
class DicomProducerTest {

    @TempDir
    static Path work;

    static OrthancPeer orthanc;
    static DefaultCamelContext camel;
    static ProducerTemplate template;
    static int scpPort;
    static int stuckPort;
    /** Holds the route of the "stuck" SCP until the tests are over, so its C-STORE-RSP never goes out. */
    static final CountDownLatch stuckRelease = new CountDownLatch(1);
    static final CountDownLatch stuckRouteEntered = new CountDownLatch(1);
    static final ConcurrentLinkedQueue<Map<String, Object>> received = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        scpPort = TestEngine.freePort();
        stuckPort = TestEngine.freePort();
        orthanc = OrthancPeer.start(work.resolve("orthanc"), Map.of("radloop", List.of("RADLOOP", "127.0.0.1", scpPort)));
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("dicom:scp?aeTitle=RADLOOP&host=127.0.0.1&port=" + scpPort + "&storageDir=" + work.resolve("received"))
                        .process(e -> received.add(new LinkedHashMap<>(e.getIn().getHeaders())));
                from("dicom:scp?aeTitle=STUCK&host=127.0.0.1&port=" + stuckPort + "&storageDir=" + work.resolve("stuck"))
                        .process(e -> {
                            stuckRouteEntered.countDown();
                            stuckRelease.await(2, TimeUnit.MINUTES);
                        });
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        stuckRelease.countDown();
        if (camel != null) {
            camel.stop();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    private static String orthancUri(String operation) {
        return "dicom:" + operation + "?aeTitle=RADLOOP&remoteAeTitle=ORTHANC&remoteHost=127.0.0.1&remotePort=" + orthanc.dicomPort();
    }

    @Test
    void echoesOrthanc() {
        Exchange done = template.request(orthancUri("echo"), e -> { });
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(DicomConstants.STATUS)).isEqualTo(DicomStatus.SUCCESS);
    }

    @Test
    void echoToAPortWithoutPeerFails() {
        int nobody = TestEngine.freePort();
        Exchange done = template.request("dicom:echo?remoteAeTitle=ORTHANC&remoteHost=127.0.0.1&remotePort=" + nobody, e -> { });
        assertThat(done.getException()).isNotNull();
    }

    @Test
    void storesFilesInSeveralTransferSyntaxesIntoOrthanc() throws Exception {
        List<Path> ct = DicomSamples.syntheticCtSeries(work.resolve("store-ct"), 3);
        // The same SOP class (CT) in a second transfer syntax: needs its own association.
        Path implicitCt = DicomSamples.syntheticCtSeries(work.resolve("store-ct-implicit"), 1).get(0);
        Path implicit = work.resolve("store-ct-implicit/implicit.dcm");
        var conv = org.radloop.support.DcmtkTool.run("dcmconv", "+ti", implicitCt.toString(), implicit.toString());
        assertThat(conv.succeeded()).as(conv.output()).isTrue();
        List<Path> files = new ArrayList<>(ct);
        files.add(implicit);
        files.add(DicomSamples.sample("MR_small_jpeg_ls_lossless.dcm"));

        Exchange done = template.request(orthancUri("store"), e -> e.getIn().setHeader(DicomConstants.FILES, files));

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(DicomConstants.COMPLETED)).isEqualTo(5);
        assertThat(done.getMessage().getHeader(DicomConstants.FAILED)).isEqualTo(0);
        for (Path f : files) {
            assertThat(orthanc.hasInstance(sopInstanceUid(f))).as(f.toString()).isTrue();
        }
    }

    @Test
    void storeFailsWhenThePeerRefusesAnInstance() throws Exception {
        List<Path> slices = DicomSamples.syntheticCtSeries(work.resolve("store-refused"), 2);
        Path truncated = DicomSamples.truncatedCopy(slices.get(0), work.resolve("store-refused/truncated.dcm"), 500);
        Exchange done = template.request("dicom:store?aeTitle=PRODUCER&remoteAeTitle=RADLOOP&remoteHost=127.0.0.1&remotePort="
                + scpPort, e -> e.getIn().setBody(List.of(truncated, slices.get(1))));
        assertThat(done.getException()).isInstanceOf(DicomOperationException.class).hasMessageContaining("truncated.dcm");
        assertThat(done.getMessage().getHeader(DicomConstants.COMPLETED)).isEqualTo(1);
        assertThat(done.getMessage().getHeader(DicomConstants.FAILED)).isEqualTo(1);
    }

    @Test
    void storeFailsWhenNoPeerListens() throws Exception {
        Path slice = DicomSamples.syntheticCtSeries(work.resolve("store-nobody"), 1).get(0);
        Exchange done = template.request("dicom:store?remoteAeTitle=NOBODY&remoteHost=127.0.0.1&remotePort="
                + TestEngine.freePort(), e -> e.getIn().setBody(slice));
        assertThat(done.getException()).isInstanceOf(DicomOperationException.class);
        assertThat(done.getMessage().getHeader(DicomConstants.FAILED)).isEqualTo(1);
    }

    /*
     * A PACS that accepts the connection and never answers: without a read timeout PixelMed waits
     * for the A-ASSOCIATE-AC for ever. Each operation must fail on its own with an error naming the
     * timeout (the test would hang, not fail, if it did not: the @Timeout only stops a hung build).
     */
    @Test
    @Timeout(120)
    void echoToAPeerThatAcceptsAndNeverAnswersFailsWithTheTimeout() throws Exception {
        try (SilentPeer silent = SilentPeer.listen(0)) {
            Exchange done = template.request("dicom:echo?remoteAeTitle=HUNG&remoteHost=127.0.0.1&responseTimeout=300&remotePort="
                    + silent.port(), e -> { });
            assertThat(done.getException()).isInstanceOf(DicomOperationException.class)
                    .hasMessageContaining("HUNG at 127.0.0.1:" + silent.port())
                    .hasMessageContaining("did not answer the association request within 300 ms");
            assertThat(silent.accepted()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    @Timeout(120)
    void storeToAPeerThatAcceptsAndNeverAnswersFailsEveryInstance() throws Exception {
        List<Path> slices = DicomSamples.syntheticCtSeries(work.resolve("store-hung"), 2);
        try (SilentPeer silent = SilentPeer.listen(0)) {
            Exchange done = template.request("dicom:store?remoteAeTitle=HUNG&remoteHost=127.0.0.1&responseTimeout=300&remotePort="
                    + silent.port(), e -> e.getIn().setBody(slices));
            assertThat(done.getException()).isInstanceOf(DicomOperationException.class);
            // the instances failed, and why: the cause (forwarding records both in the task's error)
            assertThat(done.getException().getCause()).hasMessageContaining("did not answer the association request within 300 ms");
            assertThat(done.getMessage().getHeader(DicomConstants.FAILED)).isEqualTo(2);
            assertThat(done.getMessage().getHeader(DicomConstants.COMPLETED)).isEqualTo(0);
        }
    }

    @Test
    @Timeout(120)
    void findOnAPeerThatAcceptsAndNeverAnswersFailsWithTheTimeout() throws Exception {
        try (SilentPeer silent = SilentPeer.listen(0)) {
            Exchange done = template.request("dicom:find?remoteAeTitle=HUNG&remoteHost=127.0.0.1&responseTimeout=300&remotePort="
                    + silent.port(), e -> e.getIn().setHeader(DicomConstants.QUERY,
                    Map.of("QueryRetrieveLevel", "STUDY", "PatientID", "X", "StudyInstanceUID", "")));
            assertThat(done.getException()).isInstanceOf(DicomOperationException.class)
                    .hasMessageContaining("within 300 ms");
        }
    }

    /*
     * A peer that negotiates the association and then stops answering (here RadLoop's own SCP whose
     * route never finishes): the C-STORE-RSP never comes, and the store fails once the peer has been
     * silent for the timeout, on the same association-level read timeout.
     */
    @Test
    @Timeout(120)
    void storeFailsWhenThePeerStopsAnsweringAfterTheAssociation() throws Exception {
        Path slice = DicomSamples.syntheticCtSeries(work.resolve("store-stuck"), 1).get(0);
        Exchange done = template.request("dicom:store?aeTitle=PRODUCER&remoteAeTitle=STUCK&remoteHost=127.0.0.1&responseTimeout=300&remotePort="
                + stuckPort, e -> e.getIn().setBody(slice));
        assertThat(done.getException()).isInstanceOf(DicomOperationException.class);
        assertThat(done.getException().getCause()).hasMessageContaining("STUCK at 127.0.0.1:" + stuckPort + ": no answer within 300 ms");
        assertThat(done.getMessage().getHeader(DicomConstants.FAILED)).isEqualTo(1);
        // the SCP did receive the instance: it is its route that never finished
        await().atMost(30, TimeUnit.SECONDS).until(() -> stuckRouteEntered.getCount() == 0);
    }

    @Test
    void storesOriginalBytesUnchangedIntoRadLoopsOwnScp() throws Exception {
        List<String> samples = List.of("MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm",
                "MR_small_jpeg_ls_lossless.dcm", "MR_small_RLE.dcm", "JPEG2000.dcm", "SC_rgb_jpeg_dcmtk.dcm");
        List<Path> files = samples.stream().map(DicomSamples::sample).toList();
        Exchange done = template.request("dicom:store?aeTitle=PRODUCER&remoteAeTitle=RADLOOP&remoteHost=127.0.0.1&remotePort="
                + scpPort, e -> e.getIn().setBody(files));
        assertThat(done.getException()).isNull();

        for (Path original : files) {
            String sha = Part10.sha256OfDataSet(original);
            Map<String, Object> headers = received.stream().filter(h -> sha.equals(h.get(DicomConstants.SHA256))).findFirst()
                    .orElseThrow(() -> new AssertionError(original.getFileName() + " did not arrive with its original bytes"));
            assertThat(DicomSamples.dataSetBytes((Path) headers.get(DicomConstants.FILE)))
                    .as(original.getFileName().toString()).isEqualTo(DicomSamples.dataSetBytes(original));
            assertThat(headers).containsEntry(DicomConstants.CALLING_AE_TITLE, "PRODUCER");
        }
    }

    @Test
    void findsStudiesInOrthancAsMaps() throws Exception {
        List<Path> ct = DicomSamples.syntheticCtSeries(work.resolve("find"), 2);
        template.request(orthancUri("store"), e -> e.getIn().setBody(ct));
        String study = studyInstanceUid(ct.get(0));

        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("QueryRetrieveLevel", "STUDY");
        keys.put("StudyInstanceUID", study);
        keys.put("PatientID", "");
        keys.put("NumberOfStudyRelatedInstances", "");
        Exchange done = template.request(orthancUri("find"), e -> e.getIn().setHeader(DicomConstants.QUERY, keys));

        assertThat(done.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<Map<String, String>> studies = done.getMessage().getBody(List.class);
        assertThat(studies).hasSize(1);
        assertThat(studies.get(0))
                .containsEntry("StudyInstanceUID", study)
                .containsEntry("PatientID", "1CT1")
                .containsEntry("NumberOfStudyRelatedInstances", "2");
    }

    @Test
    void movesAStudyFromOrthancToRadLoopsScp() throws Exception {
        List<Path> ct = DicomSamples.syntheticCtSeries(work.resolve("move"), 3);
        template.request(orthancUri("store"), e -> e.getIn().setBody(ct));
        String study = studyInstanceUid(ct.get(0));

        Exchange done = template.request(orthancUri("move"), e -> {
            e.getIn().setHeader(DicomConstants.QUERY, Map.of("QueryRetrieveLevel", "STUDY", "StudyInstanceUID", study));
            e.getIn().setHeader(DicomConstants.MOVE_DESTINATION, "RADLOOP");
        });

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(DicomConstants.STATUS)).isEqualTo(DicomStatus.SUCCESS);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(received.stream()
                .filter(h -> study.equals(h.get(DicomConstants.STUDY_INSTANCE_UID)))
                .filter(h -> OrthancPeer.AE_TITLE.equals(h.get(DicomConstants.CALLING_AE_TITLE)))).hasSize(3));
    }

    private static String sopInstanceUid(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrNull(list, TagFromName.SOPInstanceUID);
    }

    private static String studyInstanceUid(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrNull(list, TagFromName.StudyInstanceUID);
    }
}
