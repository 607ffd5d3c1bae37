package org.radloop.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import org.apache.camel.Exchange;
import org.radloop.config.FacilityConfig;
import org.radloop.dicom.DicomOperationException;
import org.radloop.model.Delivery;
import org.radloop.model.Store;
import org.radloop.model.Study;

/**
 * The report as a DICOM Encapsulated PDF in the original study, stored to the facility's PACS with
 * C-STORE (connectors/dicom-store-sink.kamelet.yaml). Destination: the channel's own
 * aeTitle/host/port, else the facility's {@code dicom.pacs}. The patient and study modules are
 * copied from the study RadLoop indexed when it has it, so the PACS files the report with the
 * images. A C-STORE failure status is a refusal; no association is retried.
 */
final class DicomPdfChannel implements ReportChannel {

    private final KameletCall kamelets;
    private final ReportPdf pdf;
    private final Store store;
    private final Clock clock;
    private final Path workDir;
    private final String aeTitle;

    DicomPdfChannel(KameletCall kamelets, ReportPdf pdf, Store store, Clock clock, Path workDir, String aeTitle) {
        this.kamelets = kamelets;
        this.pdf = pdf;
        this.store = store;
        this.clock = clock;
        this.workDir = workDir;
        this.aeTitle = aeTitle;
    }

    @Override
    public Sent send(ReportForDelivery report, DeliveryChannel channel, Attempt attempt) throws Exception {
        FacilityConfig facility = attempt.facility();
        FacilityConfig.Pacs pacs = facility.dicom() == null ? null : facility.dicom().pacs();
        String remoteAe = channel.text("aeTitle", pacs == null ? null : pacs.aeTitle());
        String host = channel.text("host", pacs == null ? null : pacs.host());
        int port = channel.integer("port", pacs == null || pacs.port() == null ? 104 : pacs.port());
        if (remoteAe == null || host == null) {
            throw new PermanentDeliveryException("channel '" + channel.name() + "' names no PACS (aeTitle/host/port, or dicom.pacs)");
        }
        if (report.studyInstanceUid() == null) throw new PermanentDeliveryException("report " + report.reportId() + " names no study");

        String key = Delivery.key(report.reportId(), report.version(), channel.name());
        Files.createDirectories(workDir);
        Path file = workDir.resolve("delivery-" + attempt.deliveryId() + ".dcm");
        String sopUid = EncapsulatedPdfReport.uid("sop|" + key);
        EncapsulatedPdfReport.write(file, pdf.render(report), report, studyModules(report), key,
                ZoneId.of(facility.timeZone()), channel.text("callingAeTitle", aeTitle));
        Map<String, Object> p = KameletCall.parameters();
        p.put("aeTitle", channel.text("callingAeTitle", aeTitle));
        p.put("remoteAeTitle", remoteAe);
        p.put("remoteHost", host);
        p.put("remotePort", port);
        try {
            Exchange ex = kamelets.send(KameletCall.uri("dicom-store-sink", p), file, null);
            Integer failed = ex.getMessage().getHeader("RadLoopDicomFailed", Integer.class);
            if (failed != null && failed > 0) throw new PermanentDeliveryException("the PACS refused the instance");
            return new Sent(sopUid, null);
        } catch (DicomOperationException e) {
            // No cause: the association worked and the PACS answered the C-STORE with a failure status
            // (a refusal). With a cause, the association itself failed: the PACS is down, retry.
            if (e.getCause() == null) {
                throw new PermanentDeliveryException("the PACS refused the instance: " + e.getMessage(), null, e);
            }
            throw e;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private EncapsulatedPdfReport.StudyModules studyModules(ReportForDelivery report) {
        Study st = store.fromTransaction(s -> s.createQuery(
                "from Study where studyInstanceUid = :u and facilityId = :f", Study.class)
                .setParameter("u", report.studyInstanceUid()).setParameter("f", report.facilityId())
                .setMaxResults(1).uniqueResult());
        if (st == null) return new EncapsulatedPdfReport.StudyModules(null, null, null, null, null, null, null, null);
        return new EncapsulatedPdfReport.StudyModules(st.getDicomPatientName(), st.getDicomPatientId(), st.getDicomBirthDate(),
                st.getDicomPatientSex(), st.getStudyDate(), st.getStudyTime(), st.getAccessionNumber(), st.getDescription());
    }
}
