package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.engine.RadLoopEngine;
import org.radloop.ingest.MutableClock;
import org.radloop.model.Delivery;
import org.radloop.model.Study;
import org.radloop.support.DcmtkTool;
import org.radloop.support.FhirPeer;
import org.radloop.support.OrthancPeer;
import org.radloop.support.SftpPeer;
import org.radloop.support.TestEngine;

/**
 * The other channels against real peers: FHIR R4 to a HAPI RestfulServer (busy first, then
 * accepting; another that refuses), the PDF by SFTP to Apache SSHD (down first, then up) and by
 * SMTPS to GreenMail, and the DICOM Encapsulated PDF into the original study on Orthanc.
 */
class PdfFhirDicomDeliveryTest {

    static final String CT = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    @TempDir
    static Path dir;
    static FhirPeer fhir;
    static FhirPeer refusingFhir;
    static SftpPeer sftp;
    static int sftpPort;
    static GreenMail mail;
    static OrthancPeer orthanc;
    static MutableClock clock = new MutableClock(Instant.parse("2026-11-30T22:00:00Z"));
    static DeliveryFixture.Reports reports = new DeliveryFixture.Reports();
    static RadLoopEngine engine;

    @BeforeAll
    static void start() throws Exception {
        fhir = FhirPeer.start();
        refusingFhir = FhirPeer.start();
        refusingFhir.failWith(422);
        sftpPort = TestEngine.freePort();
        int smtps = TestEngine.freePort();
        ServerSetup smtpsSetup = new ServerSetup(smtps, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
        // its TLS set-up can take longer than GreenMail's 2 s default on a busy build machine
        smtpsSetup.setServerStartupTimeout(30_000);
        mail = new GreenMail(smtpsSetup);
        mail.start();
        orthanc = OrthancPeer.start(dir.resolve("orthanc"), Map.of());
        Path conf = DeliveryFixture.conf(dir.resolve("conf"), """
                - channel: fhir
                  serverUrl: %s
                  retry: {maxAttempts: 4, initialDelaySeconds: 60}
                - channel: fhir
                  name: refusing-fhir
                  serverUrl: %s
                - channel: sftp-pdf
                  host: 127.0.0.1
                  port: %d
                  username: %s
                  password: %s
                  directory: inbound/reports
                  # a throw-away test server: its host key is new every run
                  strictHostKeyChecking: false
                  useUserKnownHostsFile: false
                  retry: {maxAttempts: 4, initialDelaySeconds: 60}
                - channel: email-pdf
                  host: 127.0.0.1
                  port: %d
                  security: tls
                  from: radloop@riverside.test
                  to: [results@riverside.test, archive@riverside.test]
                  # GreenMail's certificate is self-signed: tests only
                  sslTrust: "*"
                  checkServerIdentity: false
                - channel: dicom-pdf
                  aeTitle: %s
                  host: 127.0.0.1
                  port: %d
                """.formatted(fhir.baseUrl(), refusingFhir.baseUrl(), sftpPort, SftpPeer.USER, SftpPeer.PASSWORD, smtps,
                OrthancPeer.AE_TITLE, orthanc.dicomPort()));
        engine = DeliveryFixture.start(dir.resolve("data"), conf, clock, reports);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) engine.close();
        if (fhir != null) fhir.close();
        if (refusingFhir != null) refusingFhir.close();
        if (sftp != null) sftp.close();
        if (mail != null) mail.stop();
        if (orthanc != null) orthanc.close();
    }

    @Test
    void reportReachesFhirSftpEmailAndPacsEachExactlyOnce() throws Exception {
        // the study's images arrive first (from the facility's CT), so RadLoop knows its patient module
        var store = DcmtkTool.run("storescu", "-aet", "RIV_CT", "-aec", "RADLOOP", "127.0.0.1",
                engine.settings().get("radloop.dicom.port", null), CT);
        assertThat(store.exitCode()).as(store.output()).isZero();
        Study study = await().atMost(Duration.ofSeconds(30)).until(() -> engine.store().fromTransaction(s ->
                s.createQuery("from Study", Study.class).setMaxResults(1).uniqueResult()), s -> s != null);

        fhir.failWith(503);
        ReportForDelivery report = DeliveryFixture.report("R400", 1, ReportForDelivery.Status.FINAL, study.getStudyInstanceUid());
        reports.add(report);
        DeliveryFixture.announce(engine, "R400");

        // FHIR refused for good: FAILED at once
        Delivery refused = DeliveryFixture.awaitState(engine, "R400", 1, "refusing-fhir", Delivery.State.FAILED);
        assertThat(refused.getLastError()).contains("422");

        // email over TLS: accepted by the mail server, to both addresses, with the PDF attached
        DeliveryFixture.awaitState(engine, "R400", 1, "email-pdf", Delivery.State.DELIVERED);
        MimeMessage[] mails = mail.getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[0].getSubject()).isEqualTo("Radiology report ACC-R400");
        byte[] attached = pdfAttachment(mails[0]);
        assertThat(pdfText(attached)).contains("Riverside Community Hospital (test)", "MRN-R400", "AI assistance:");

        // DICOM: an Encapsulated PDF in the original study, patient module as the images have it
        Delivery dicom = DeliveryFixture.awaitState(engine, "R400", 1, "dicom-pdf", Delivery.State.DELIVERED);
        assertThat(orthanc.hasInstance(dicom.getRemoteReference())).isTrue();
        String orthancId = orthanc.post("/tools/lookup", dicom.getRemoteReference()).get(0).path("ID").asText();
        JsonNode tags = orthanc.get("/instances/" + orthancId + "/simplified-tags");
        assertThat(tags.path("SOPClassUID").asText()).isEqualTo("1.2.840.10008.5.1.4.1.1.104.1");
        assertThat(tags.path("StudyInstanceUID").asText()).isEqualTo(study.getStudyInstanceUid());
        assertThat(tags.path("PatientID").asText()).isEqualTo(study.getDicomPatientId());
        assertThat(tags.path("PatientName").asText()).isEqualTo(study.getDicomPatientName());
        assertThat(tags.path("Modality").asText()).isEqualTo("DOC");
        assertThat(tags.path("MIMETypeOfEncapsulatedDocument").asText()).isEqualTo("application/pdf");
        assertThat(tags.path("SeriesInstanceUID").asText()).isNotEmpty();
        byte[] encapsulated = orthanc.instanceFile(orthancId);
        assertThat(new String(encapsulated, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("%PDF-");

        // SFTP server down, FHIR busy: both waiting for their next attempt
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingAfterAttempt("sftp-pdf") && pendingAfterAttempt("fhir"));
        assertThat(DeliveryFixture.delivery(engine, "R400", 1, "fhir").getLastError()).contains("503");

        // both come back; after the backoff each gets the report once
        sftp = SftpPeer.start(dir.resolve("sftp-home"), sftpPort);
        fhir.failWith(0);
        clock.advance(Duration.ofSeconds(61));
        Delivery file = DeliveryFixture.awaitState(engine, "R400", 1, "sftp-pdf", Delivery.State.DELIVERED);
        Delivery fhirDelivery = DeliveryFixture.awaitState(engine, "R400", 1, "fhir", Delivery.State.DELIVERED);
        assertThat(fhirDelivery.getRemoteReference()).startsWith("DiagnosticReport/");

        Path folder = sftp.root().resolve("inbound/reports");
        List<Path> files;
        try (var s = Files.list(folder)) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("ACC-R400_v1_RL" + file.getId() + ".pdf");
        assertThat(pdfText(Files.readAllBytes(files.get(0)))).contains("Acute left subdural haematoma");

        // FHIR: DiagnosticReport with Observations, the PDF, and references to order, patient and study
        assertThat(fhir.transactions()).isEqualTo(1);
        assertThat(fhir.lastAuthorization()).as("no credentials configured, none sent").isNull();
        DiagnosticReport dr = fhir.all(DiagnosticReport.class).get(0);
        assertThat(dr.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(dr.getConclusion()).contains("Neurosurgical review recommended.");
        assertThat(dr.getPresentedFormFirstRep().getContentType()).isEqualTo("application/pdf");
        assertThat(pdfText(dr.getPresentedFormFirstRep().getData())).contains("MRN-R400");
        Patient patient = fhir.all(Patient.class).get(0);
        ServiceRequest order = fhir.all(ServiceRequest.class).get(0);
        ImagingStudy imaging = fhir.all(ImagingStudy.class).get(0);
        assertThat(dr.getSubject().getReference()).isEqualTo("Patient/" + patient.getIdElement().getIdPart());
        assertThat(dr.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + order.getIdElement().getIdPart());
        assertThat(dr.getImagingStudyFirstRep().getReference()).isEqualTo("ImagingStudy/" + imaging.getIdElement().getIdPart());
        assertThat(imaging.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + study.getStudyInstanceUid());
        assertThat(order.getIdentifier()).extracting(i -> i.getValue()).contains("PLC-R400", "ACC-R400");
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("MRN-R400");
        List<Observation> observations = fhir.all(Observation.class);
        assertThat(observations).hasSize(2);
        assertThat(dr.getResult()).hasSize(2);
        assertThat(observations).extracting(o -> o.getCode().getCodingFirstRep().getCode()).containsExactly("95453001", "71388002");

        // the approval again, and time passing: nobody gets a second copy
        DeliveryFixture.announce(engine, "R400");
        clock.advance(Duration.ofHours(2));
        Thread.sleep(1500);
        assertThat(mail.getReceivedMessages()).hasSize(2);
        assertThat(fhir.transactions()).isEqualTo(1);
        try (var s = Files.list(folder)) {
            assertThat(s.count()).isEqualTo(1);
        }
        assertThat(orthanc.instances()).hasSize(1); // the report only: the CT went to RadLoop, not to this PACS
    }

    private static boolean pendingAfterAttempt(String channel) {
        Delivery d = DeliveryFixture.delivery(engine, "R400", 1, channel);
        return d != null && d.getAttempts() >= 1 && d.getState() == Delivery.State.PENDING;
    }

    private static byte[] pdfAttachment(MimeMessage m) throws Exception {
        Multipart mp = (Multipart) m.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
            Part p = mp.getBodyPart(i);
            if (p.getContentType().toLowerCase().startsWith("application/pdf")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                p.getInputStream().transferTo(out);
                return out.toByteArray();
            }
        }
        throw new AssertionError("no PDF attachment");
    }

    private static String pdfText(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }
}
