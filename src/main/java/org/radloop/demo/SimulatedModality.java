package org.radloop.demo;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.radloop.dicom.DicomConstants;
import org.radloop.triage.demo.PhantomSeries;

/**
 * A facility's modality: writes a synthetic study (the CT head phantom with or without a bleed, the
 * chest radiograph phantom with or without a pneumothorax), stamps it with the order's patient and
 * accession as a modality worklist would, and sends it to RadLoop over real DICOM C-STORE with the
 * project's own SCU (the {@code dicom:store} producer), calling with the facility's AE title.
 */
final class SimulatedModality {

    private final ProducerTemplate producer;
    private final String host;
    private final int port;
    private final String calledAeTitle;
    private final Path workDir;

    SimulatedModality(ProducerTemplate producer, String host, int port, String calledAeTitle, Path workDir) {
        this.producer = producer;
        this.host = host;
        this.port = port;
        this.calledAeTitle = calledAeTitle;
        this.workDir = workDir;
    }

    /** Sends the study; returns its Study Instance UID. */
    String send(DemoStudy study) throws IOException {
        Path dir = workDir.resolve(study.accession());
        long seed = 7_000L + study.number();
        List<Path> files = study.kind() == DemoStudy.Kind.CT_HEAD
                ? PhantomSeries.writeCtHead(dir, seed, DemoConf.CT_SLICES, DemoConf.IMAGE_SIZE, study.abnormal())
                : PhantomSeries.writeChest(dir, seed, DemoConf.IMAGE_SIZE, study.abnormal());
        String studyUid = null;
        for (Path f : files) studyUid = stamp(f, study);
        study.seriesUid = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(read(files.get(0)), TagFromName.SeriesInstanceUID);
        String aet = study.kind() == DemoStudy.Kind.CT_HEAD ? study.facility().ctAeTitle() : study.facility().crAeTitle();
        String uri = "dicom:store?remoteAeTitle=" + calledAeTitle + "&remoteHost=" + host + "&remotePort=" + port + "&aeTitle=" + aet;
        var exchange = producer.request(uri, e -> e.getMessage().setHeader(DicomConstants.FILES, files));
        if (exchange.getException() != null) throw new IOException("C-STORE failed: " + exchange.getException().getMessage(),
                exchange.getException());
        return studyUid;
    }

    private static String stamp(Path file, DemoStudy study) throws IOException {
        try {
            AttributeList list = new AttributeList();
            list.read(file.toFile());
            put(list, new ShortStringAttribute(TagFromName.AccessionNumber), study.accession());
            put(list, new LongStringAttribute(TagFromName.PatientID), study.patientId());
            put(list, new PersonNameAttribute(TagFromName.PatientName), "DEMO^PATIENT" + study.number());
            String ts = Attribute.getSingleStringValueOrDefault(list, TagFromName.TransferSyntaxUID, TransferSyntax.ExplicitVRLittleEndian);
            list.removeGroupLengthAttributes();
            list.write(file.toFile(), ts, true, true);
            return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static AttributeList read(Path file) throws IOException {
        try {
            AttributeList list = new AttributeList();
            list.read(file.toFile());
            return list;
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void put(AttributeList list, Attribute a, String value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }
}
