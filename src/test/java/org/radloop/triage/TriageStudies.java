package org.radloop.triage;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.FileMetaInformation;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.radloop.ingest.Hl7Samples;
import org.radloop.triage.demo.PhantomSeries;

/**
 * Studies as St Mary's would send them to the triage tests: a phantom CT series from the
 * demonstration code, made into one patient's study with the accession number of its HL7 order,
 * and the ORM^O01 that orders it.
 */
final class TriageStudies {

    static final Path MR_SAMPLE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm");

    private TriageStudies() {
    }

    /**
     * One study: its UID, its files, the order's placer number (accession "ACC" + placer), and the
     * phantom's seed (-1 for the MR sample).
     */
    record PhantomStudy(String studyUid, List<Path> files, String placer, String mrn, long seed) {
        String accession() {
            return "ACC" + placer;
        }
    }

    /**
     * A CT phantom series rewritten for one patient and order.
     *
     * @param overrides more attributes to set, e.g. BodyPartExamined or SeriesDescription
     */
    static PhantomStudy ctHead(Path dir, long seed, int slices, boolean bleed, String placer, String mrn,
                               Map<AttributeTag, String> overrides) throws Exception {
        List<Path> files = PhantomSeries.writeCtHead(dir, seed, slices, 64, bleed);
        Map<AttributeTag, String> values = new LinkedHashMap<>();
        values.put(TagFromName.AccessionNumber, "ACC" + placer);
        values.put(TagFromName.PatientID, mrn);
        values.put(TagFromName.PatientName, "DOE^JANE");
        values.put(TagFromName.PatientSex, "F");
        values.put(TagFromName.PatientBirthDate, "19800101");
        values.putAll(overrides);
        String studyUid = null;
        for (Path f : files) {
            AttributeList list = new AttributeList();
            list.read(f.toString());
            for (Map.Entry<AttributeTag, String> e : values.entrySet()) {
                list.remove(e.getKey());
                Attribute a = AttributeFactory.newAttribute(e.getKey());
                a.addValue(e.getValue());
                list.put(a);
            }
            studyUid = Attribute.getSingleStringValueOrNull(list, TagFromName.StudyInstanceUID);
            list.write(f.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        }
        return new PhantomStudy(studyUid, files, placer, mrn, seed);
    }

    /** Debian's python3-pydicom sample MR (a real MR image, explicit little endian), as one patient's one-image study. */
    static PhantomStudy mrBrain(Path dir, String placer, String mrn) throws Exception {
        AttributeList list = new AttributeList();
        list.read(MR_SAMPLE.toString());
        String studyUid = uid();
        Map<AttributeTag, String> values = new LinkedHashMap<>();
        values.put(TagFromName.StudyInstanceUID, studyUid);
        values.put(TagFromName.SeriesInstanceUID, uid());
        values.put(TagFromName.SOPInstanceUID, uid());
        values.put(TagFromName.AccessionNumber, "ACC" + placer);
        values.put(TagFromName.PatientID, mrn);
        values.put(TagFromName.PatientName, "DOE^JANE");
        values.put(TagFromName.PatientSex, "F");
        values.put(TagFromName.PatientBirthDate, "19800101");
        values.put(TagFromName.StudyDescription, "MR BRAIN");
        values.put(TagFromName.BodyPartExamined, "BRAIN");
        for (Map.Entry<AttributeTag, String> e : values.entrySet()) {
            list.remove(e.getKey());
            Attribute a = AttributeFactory.newAttribute(e.getKey());
            a.addValue(e.getValue());
            list.put(a);
        }
        list.removeMetaInformationHeaderAttributes();
        list.removeGroupLengthAttributes();
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "RADLOOPTEST");
        java.nio.file.Files.createDirectories(dir);
        Path out = dir.resolve("mr-0001.dcm");
        list.write(out.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return new PhantomStudy(studyUid, List.of(out), placer, mrn, -1);
    }

    /** A fresh UID under 2.25 (a random UUID as a decimal number, PS3.5 B.2). */
    static String uid() {
        UUID u = UUID.randomUUID();
        return "2.25." + new BigInteger(1, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }

    /**
     * A new order (ORC-1 NW) for one study.
     *
     * @param priority ORC-7.6: S (STAT), A (ASAP) or R (routine)
     * @param reason   OBR-31 as identifier^text
     */
    static String order(PhantomStudy study, String procedureCode, String priority, String reason) {
        return Hl7Samples.stMarysMsh("ORM^O01^ORM_O01", "T" + study.placer()) + Hl7Samples.pid(study.mrn(), "DOE^JANE", "19800101")
                + Hl7Samples.pv1() + Hl7Samples.order("NW", study.placer(), procedureCode, priority, "SC", reason);
    }
}
