package org.radloop.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UIDGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.DcmtkTool;
import org.radloop.support.TestEngine;

/**
 * The storage SCP ({@code dicom:scp}) against real senders: dcmtk's echoscu and storescu, and
 * PixelMed's SCU where a sender must put broken bytes on the wire (storescu refuses to read them).
 */
class DicomScpTest {

    @TempDir
    static Path work;

    static DefaultCamelContext camel;
    static int port;
    static Path storage;
    static Path quarantine;
    static final ConcurrentLinkedQueue<Map<String, Object>> routed = new ConcurrentLinkedQueue<>();
    static final Set<String> routeFailsFor = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startScp() throws Exception {
        port = TestEngine.freePort();
        storage = work.resolve("dicom");
        quarantine = work.resolve("quarantine");
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("knownModalities", CallingAeTitlePolicy.allowList("CT1", "MODALITY", "PIXELMED"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("dicom:scp?aeTitle=RADLOOP&host=127.0.0.1&port=" + port + "&storageDir=" + storage
                        + "&associationPolicy=#knownModalities&maxPduSize=16384")
                        .process(exchange -> {
                            Map<String, Object> headers = new LinkedHashMap<>(exchange.getIn().getHeaders());
                            routed.add(headers);
                            if (routeFailsFor.contains((String) headers.get(DicomConstants.SOP_INSTANCE_UID))) {
                                throw new IllegalStateException("indexer unavailable");
                            }
                        });
            }
        });
        camel.start();
    }

    @AfterAll
    static void stopScp() {
        camel.stop();
    }

    @Test
    void answersEchoFromAKnownModality() throws Exception {
        DcmtkTool.Result echo = DcmtkTool.run("echoscu", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1", Integer.toString(port));
        assertThat(echo.succeeded()).as(echo.output()).isTrue();
    }

    @Test
    void rejectsAnUnknownCallingAeTitleAtAssociation() throws Exception {
        DcmtkTool.Result echo = DcmtkTool.run("echoscu", "-aet", "UNKNOWN", "-aec", "RADLOOP", "127.0.0.1", Integer.toString(port));
        assertThat(echo.succeeded()).isFalse();
        assertThat(echo.output()).contains("Calling AE Title Not Recognized");
    }

    @Test
    void rejectsAWrongCalledAeTitleAtAssociation() throws Exception {
        DcmtkTool.Result echo = DcmtkTool.run("echoscu", "-aet", "CT1", "-aec", "NOTRADLOOP", "127.0.0.1", Integer.toString(port));
        assertThat(echo.succeeded()).isFalse();
        assertThat(echo.output()).contains("Called AE Title Not Recognized");
    }

    @Test
    void storesACtSeriesByteForByteAndRoutesEachInstance() throws Exception {
        List<Path> series = new ArrayList<>();
        for (Path slice : DicomSamples.syntheticCtSeries(work.resolve("ct-series-pixelmed"), 20)) {
            series.add(DicomSamples.asDcmtkSendsIt(slice, work.resolve("ct-series").resolve(slice.getFileName())));
        }
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1", Integer.toString(port)));
        series.forEach(p -> cmd.add(p.toString()));
        DcmtkTool.Result sent = DcmtkTool.run(cmd);
        assertThat(sent.succeeded()).as(sent.output()).isTrue();

        for (Path original : series) {
            AttributeList meta = new AttributeList();
            meta.read(original.toFile());
            String sop = com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(meta, TagFromName.SOPInstanceUID);
            String study = com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(meta, TagFromName.StudyInstanceUID);
            String seriesUid = com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(meta, TagFromName.SeriesInstanceUID);
            Map<String, Object> headers = routedFor(sop);
            Path stored = storage.resolve(study).resolve(seriesUid).resolve(sop + ".dcm");
            assertThat(headers.get(DicomConstants.FILE)).isEqualTo(stored);
            assertSameBytes(DicomSamples.dataSetBytes(stored), DicomSamples.dataSetBytes(original), original.toString());
            assertThat(headers)
                    .containsEntry(DicomConstants.CALLING_AE_TITLE, "CT1")
                    .containsEntry(DicomConstants.CALLED_AE_TITLE, "RADLOOP")
                    .containsEntry(DicomConstants.REMOTE_ADDRESS, "127.0.0.1")
                    .containsEntry(DicomConstants.SOP_CLASS_UID, SOPClass.CTImageStorage)
                    .containsEntry(DicomConstants.STUDY_INSTANCE_UID, study)
                    .containsEntry(DicomConstants.SERIES_INSTANCE_UID, seriesUid)
                    .containsEntry(DicomConstants.TRANSFER_SYNTAX_UID, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN)
                    .containsEntry(DicomConstants.FILE_SIZE, Files.size(stored))
                    .containsEntry(DicomConstants.SHA256, Part10.sha256OfDataSet(original))
                    .containsEntry(DicomConstants.DUPLICATE, "NONE");
        }
        try (Stream<Path> incoming = Files.list(storage.resolve(".incoming"))) {
            assertThat(incoming).as("no temporary files left behind").isEmpty();
        }
    }

    @Test
    void storesEveryTransferSyntaxAsSent() throws Exception {
        // storescu proposes compressed syntaxes only when told which; one run per sample, each
        // proposing the sample's own syntax so dcmtk sends it without transcoding.
        Map<String, String> samplesAndProposal = new LinkedHashMap<>();
        samplesAndProposal.put("MR_small_implicit.dcm", "-xi");         // implicit VR little endian
        samplesAndProposal.put("MR_small.dcm", "-xe");                  // explicit VR little endian
        samplesAndProposal.put("MR_small_bigendian.dcm", "-xb");        // explicit VR big endian
        samplesAndProposal.put("image_dfl.dcm", "-xd");                 // deflated explicit VR little endian
        samplesAndProposal.put("SC_rgb_jpeg_dcmtk.dcm", "-xy");         // JPEG baseline
        samplesAndProposal.put("JPEG-lossy.dcm", "-xx");                // JPEG extended
        samplesAndProposal.put("MR_small_jpeg_ls_lossless.dcm", "-xt"); // JPEG-LS lossless
        samplesAndProposal.put("JPEG2000.dcm", "-xw");                  // JPEG 2000
        samplesAndProposal.put("MR_small_RLE.dcm", "-xr");              // RLE lossless
        samplesAndProposal.put("test-SR.dcm", "-xe");                   // comprehensive SR
        samplesAndProposal.put("rtplan.dcm", "-xi");                    // RT plan (non-image), implicit VR
        Map<String, Path> sent = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : samplesAndProposal.entrySet()) {
            Path file = DicomSamples.asDcmtkSendsIt(DicomSamples.sample(s.getKey()), work.resolve("syntaxes").resolve(s.getKey()));
            sent.put(s.getKey(), file);
            DcmtkTool.Result result = DcmtkTool.run("storescu", s.getValue(), "-aet", "MODALITY", "-aec", "RADLOOP",
                    "127.0.0.1", Integer.toString(port), file.toString());
            assertThat(result.succeeded()).as(s.getKey() + ": " + result.output()).isTrue();
        }

        for (Map.Entry<String, Path> s : sent.entrySet()) {
            Path original = s.getValue();
            byte[] onTheWire = DicomSamples.dataSetBytes(original);
            if (onTheWire.length % 2 == 1) {
                // A deflated data set is padded to even length on the network (PS3.5 A.5).
                onTheWire = java.util.Arrays.copyOf(onTheWire, onTheWire.length + 1);
            }
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(onTheWire));
            Map<String, Object> headers = routed.stream().filter(h -> sha.equals(h.get(DicomConstants.SHA256))).findFirst()
                    .orElseThrow(() -> new AssertionError(s.getKey() + " did not reach the route with the bytes sent"));
            AttributeList meta = new AttributeList();
            meta.read(original.toFile(), TagFromName.SOPClassUID);
            assertThat(headers.get(DicomConstants.TRANSFER_SYNTAX_UID)).as(s.getKey())
                    .isEqualTo(com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(meta, TagFromName.TransferSyntaxUID));
            assertSameBytes(DicomSamples.dataSetBytes((Path) headers.get(DicomConstants.FILE)), onTheWire, s.getKey());
        }
        // The MR_small variants share one SOP Instance UID with different bytes: versions, not overwrites.
        long mrCopies = routed.stream().filter(h -> "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457".equals(h.get(DicomConstants.SOP_INSTANCE_UID)))
                .map(h -> h.get(DicomConstants.FILE)).distinct().count();
        assertThat(mrCopies).isGreaterThanOrEqualTo(5);
        assertThat(routed.stream().filter(h -> "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457".equals(h.get(DicomConstants.SOP_INSTANCE_UID))))
                .extracting(h -> h.get(DicomConstants.DUPLICATE) + " " + ((Path) h.get(DicomConstants.FILE)).getFileName())
                .contains("NONE 1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457.dcm",
                        "CHANGED 1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457.v2.dcm");
    }

    @Test
    void storesAnEncapsulatedPdf() throws Exception {
        Path pdf = work.resolve("pdf/report.pdf");
        Files.createDirectories(pdf.getParent());
        Files.writeString(pdf, MINIMAL_PDF, StandardCharsets.US_ASCII);
        Path dcm = work.resolve("pdf/report.dcm");
        DcmtkTool.Result made = DcmtkTool.run("pdf2dcm", "--title", "Report", "--patient-id", "PDF1", pdf.toString(), dcm.toString());
        assertThat(made.succeeded()).as(made.output()).isTrue();
        Path onTheWire = DicomSamples.asDcmtkSendsIt(dcm, work.resolve("pdf/sent.dcm"));

        DcmtkTool.Result sent = DcmtkTool.run("storescu", "-aet", "MODALITY", "-aec", "RADLOOP", "127.0.0.1",
                Integer.toString(port), onTheWire.toString());

        assertThat(sent.succeeded()).as(sent.output()).isTrue();
        Map<String, Object> headers = routedFor(sopInstanceUid(onTheWire));
        assertThat(headers).containsEntry(DicomConstants.SOP_CLASS_UID, SOPClass.EncapsulatedPDFStorage);
        assertSameBytes(DicomSamples.dataSetBytes((Path) headers.get(DicomConstants.FILE)), DicomSamples.dataSetBytes(onTheWire), "PDF");
    }

    private static final String MINIMAL_PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            + "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
            + "trailer<</Root 1 0 R>>\n%%EOF\n";

    @Test
    void storesAnIdenticalResendOnceAndReportsIt() throws Exception {
        Path slice = DicomSamples.syntheticCtSeries(work.resolve("resend"), 1).get(0);
        for (int i = 0; i < 2; i++) {
            DcmtkTool.Result sent = DcmtkTool.run("storescu", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1", Integer.toString(port), slice.toString());
            assertThat(sent.succeeded()).as(sent.output()).isTrue();
        }
        String sop = sopInstanceUid(slice);
        List<Map<String, Object>> both = routed.stream().filter(h -> sop.equals(h.get(DicomConstants.SOP_INSTANCE_UID))).toList();
        assertThat(both).extracting(h -> h.get(DicomConstants.DUPLICATE)).containsExactly("NONE", "IDENTICAL");
        assertThat(both.get(1).get(DicomConstants.FILE)).isEqualTo(both.get(0).get(DicomConstants.FILE));
        Path seriesDir = ((Path) both.get(0).get(DicomConstants.FILE)).getParent();
        try (Stream<Path> files = Files.list(seriesDir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void refusesBrokenInstancesWithAFailureStatusQuarantinesThemAndStoresTheNextOnTheSameAssociation() throws Exception {
        List<Path> slices = DicomSamples.syntheticCtSeries(work.resolve("broken"), 3);
        Path truncated = DicomSamples.truncatedCopy(slices.get(1), work.resolve("broken/truncated.dcm"), 1000);
        Path wrongClass = withDataSetSopClass(slices.get(2), work.resolve("broken/wrong-class.dcm"), SOPClass.MRImageStorage);
        Path noInstanceUid = withoutSopInstanceUid(slices.get(2), work.resolve("broken/no-instance-uid.dcm"));
        List<Path> order = List.of(slices.get(0), truncated, wrongClass, noInstanceUid, slices.get(2));

        List<String> outcomes = sendOnOneAssociation(order);

        assertThat(outcomes).containsExactly("ok", "failed", "failed", "failed", "ok");
        assertThat(routedFor(sopInstanceUid(slices.get(0)))).isNotNull();
        assertThat(routedFor(sopInstanceUid(slices.get(2)))).isNotNull();
        String truncatedSop = sopInstanceUid(slices.get(1));
        assertThat(routed).noneMatch(h -> truncatedSop.equals(h.get(DicomConstants.SOP_INSTANCE_UID)));

        String truncatedReason = quarantineReasonFor(truncatedSop);
        assertThat(truncatedReason).contains("status: 0xC000").contains("truncated");
        assertThat(Files.readAllBytes(Path.of(quarantinedFileFor(truncatedSop).toString())))
                .endsWith(DicomSamples.dataSetBytes(truncated));
        assertThat(quarantineReasonFor(sopInstanceUid(wrongClass))).contains("status: 0xA900").contains("SOP Class UID");
        assertThat(quarantineReasonFor(sopInstanceUid(noInstanceUid))).contains("status: 0xA900").contains("SOP Instance UID");
    }

    @Test
    void aRouteExceptionAnswersAFailureStatusAndQuarantinesTheInstance() throws Exception {
        List<Path> slices = DicomSamples.syntheticCtSeries(work.resolve("route-fails"), 2);
        String failing = sopInstanceUid(slices.get(0));
        routeFailsFor.add(failing);

        List<String> outcomes = sendOnOneAssociation(slices);

        assertThat(outcomes).containsExactly("failed", "ok");
        assertThat(quarantineReasonFor(failing)).contains("status: 0xA700").contains("indexer unavailable");
        try (Stream<Path> stored = Files.walk(storage)) {
            assertThat(stored).noneMatch(p -> p.getFileName().toString().startsWith(failing));
        }
        DcmtkTool.Result viaStorescu = DcmtkTool.run("storescu", "-v", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1",
                Integer.toString(port), slices.get(0).toString());
        assertThat(viaStorescu.output()).contains("Refused: OutOfResources").doesNotContain("Received Store Response (Success)");
    }

    private static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        int i = java.util.Arrays.mismatch(actual, expected);
        assertThat(i).as("%s: stored data set (%d bytes) differs from the original (%d bytes) at byte %d", what,
                actual.length, expected.length, i).isEqualTo(-1);
    }

    private static List<String> sendOnOneAssociation(List<Path> files) throws Exception {
        return PixelmedSender.sendOnOneAssociation(port, "PIXELMED", files);
    }

    private static Map<String, Object> routedFor(String sop) {
        return routed.stream().filter(h -> sop.equals(h.get(DicomConstants.SOP_INSTANCE_UID))).findFirst()
                .orElseThrow(() -> new AssertionError("instance " + sop + " did not reach the route"));
    }

    private static String quarantineReasonFor(String sop) throws Exception {
        try (Stream<Path> files = Files.list(quarantine)) {
            Path reason = files.filter(p -> p.getFileName().toString().contains(sop) && p.toString().endsWith(".reason"))
                    .findFirst().orElseThrow(() -> new AssertionError("no quarantine reason for " + sop));
            return Files.readString(reason);
        }
    }

    private static Path quarantinedFileFor(String sop) throws Exception {
        try (Stream<Path> files = Files.list(quarantine)) {
            return files.filter(p -> p.getFileName().toString().contains(sop) && p.toString().endsWith(".dcm"))
                    .findFirst().orElseThrow(() -> new AssertionError("no quarantined bytes for " + sop));
        }
    }

    private static String sopInstanceUid(Path file) throws Exception {
        AttributeList meta = new AttributeList();
        meta.read(file.toFile(), TagFromName.SOPClassUID);
        return com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(meta, TagFromName.MediaStorageSOPInstanceUID);
    }

    /** Same instance (new UID) whose data set claims another SOP class than its meta header and request. */
    private static Path withDataSetSopClass(Path source, Path target, String sopClass) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        String sop = new UIDGenerator().getAnotherNewUID();
        set(list, TagFromName.SOPInstanceUID, sop);
        set(list, TagFromName.SOPClassUID, sopClass);
        list.putAll(new FileMetaInformation(SOPClass.CTImageStorage, sop, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, "PIXELMED").getAttributeList());
        list.write(target.toFile(), TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, true, true);
        return target;
    }

    /** Same instance whose data set lacks (0008,0018) while its meta header and request name one. */
    private static Path withoutSopInstanceUid(Path source, Path target) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        list.remove(TagFromName.SOPInstanceUID);
        String sop = new UIDGenerator().getAnotherNewUID();
        list.putAll(new FileMetaInformation(SOPClass.CTImageStorage, sop, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, "PIXELMED").getAttributeList());
        list.write(target.toFile(), TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, true, true);
        return target;
    }

    private static void set(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        com.pixelmed.dicom.Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
