package org.radloop.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real DICOM files from Debian's python3-pydicom, rewritten with PixelMed into new studies, series and
 * instances: the same pixels and header layout a modality would send, under UIDs of the test's own.
 */
final class DicomSamples {

    static final Path DIR = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final Path CT = DIR.resolve("CT_small.dcm");
    static final Path MR = DIR.resolve("MR_small.dcm");
    static final Path MR_TRUNCATED = DIR.resolve("MR_truncated.dcm");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private DicomSamples() {
    }

    /** A fresh UID (2.25 + a random UUID as a decimal number, as PS3.5 B.2 allows). */
    static String uid() {
        UUID u = UUID.randomUUID();
        java.math.BigInteger n = new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
        return "2.25." + n;
    }

    /** A copy of {@code sample} with attributes replaced, written as a Part 10 file in {@code transferSyntax}. */
    static Path write(Path sample, Path dir, String transferSyntax, Map<AttributeTag, String> values) throws Exception {
        AttributeList list = new AttributeList();
        list.read(sample.toString());
        for (Map.Entry<AttributeTag, String> e : values.entrySet()) {
            list.remove(e.getKey());
            if (e.getValue() == null) continue;
            Attribute a = AttributeFactory.newAttribute(e.getKey());
            a.addValue(e.getValue());
            list.put(a);
        }
        list.removeMetaInformationHeaderAttributes();
        list.removeGroupLengthAttributes();
        FileMetaInformation.addFileMetaInformation(list, transferSyntax, "RADLOOPTEST");
        Files.createDirectories(dir);
        Path out = dir.resolve("i" + COUNTER.incrementAndGet() + ".dcm");
        list.write(out.toString(), transferSyntax, true, true);
        return out;
    }

    /** Builds the instances of one study. */
    static final class StudyBuilder {
        private final Path dir;
        final String studyUid = uid();
        private final Map<AttributeTag, String> common = new LinkedHashMap<>();

        StudyBuilder(Path dir) {
            this.dir = dir;
            common.put(TagFromName.StudyInstanceUID, studyUid);
        }

        StudyBuilder set(AttributeTag tag, String value) {
            common.put(tag, value);
            return this;
        }

        StudyBuilder accession(String accession) {
            return set(TagFromName.AccessionNumber, accession);
        }

        StudyBuilder patient(String id, String name, String sex, String birthDate) {
            return set(TagFromName.PatientID, id).set(TagFromName.PatientName, name)
                    .set(TagFromName.PatientSex, sex).set(TagFromName.PatientBirthDate, birthDate);
        }

        /** One instance of a series: a new SOP Instance UID unless given. */
        Path instance(Path sample, String seriesUid, int instanceNumber) throws Exception {
            return instance(sample, seriesUid, uid(), instanceNumber, TransferSyntax.ExplicitVRLittleEndian, Map.of());
        }

        Path instance(Path sample, String seriesUid, String sopUid, int instanceNumber, String transferSyntax,
                      Map<AttributeTag, String> extra) throws Exception {
            Map<AttributeTag, String> v = new LinkedHashMap<>(common);
            v.put(TagFromName.SeriesInstanceUID, seriesUid);
            v.put(TagFromName.SOPInstanceUID, sopUid);
            v.put(TagFromName.InstanceNumber, Integer.toString(instanceNumber));
            v.putAll(extra);
            return write(sample, dir, transferSyntax, v);
        }
    }
}
