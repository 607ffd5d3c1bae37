package org.radloop.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The attributes RadLoop indexes, read from a stored Part 10 file. Reading stops at Pixel Data, so
 * the pixels (often hundreds of megabytes, sometimes in a syntax PixelMed cannot decode) are never
 * loaded or decompressed.
 */
record DicomHeader(
        String sopInstanceUid, String sopClassUid, String transferSyntaxUid,
        String studyInstanceUid, String seriesInstanceUid,
        String accessionNumber, String patientId, String patientName, String patientSex, LocalDate patientBirthDate,
        LocalDate studyDate, String studyTime, String studyDescription,
        String modality, String bodyPart, String laterality, String seriesDescription,
        Integer seriesNumber, Integer instanceNumber) {

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    static DicomHeader read(Path file) throws InstanceRefusedException {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            list.read(file.toString(), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new InstanceRefusedException("unreadable DICOM header: " + e.getMessage(), e);
        }
        String laterality = s(list, TagFromName.Laterality);
        if (laterality == null) laterality = s(list, TagFromName.ImageLaterality);
        DicomHeader h = new DicomHeader(
                s(list, TagFromName.SOPInstanceUID), s(list, TagFromName.SOPClassUID),
                s(list, TagFromName.TransferSyntaxUID),
                s(list, TagFromName.StudyInstanceUID), s(list, TagFromName.SeriesInstanceUID),
                s(list, TagFromName.AccessionNumber), s(list, TagFromName.PatientID),
                s(list, TagFromName.PatientName), s(list, TagFromName.PatientSex),
                date(list, TagFromName.PatientBirthDate),
                date(list, TagFromName.StudyDate), s(list, TagFromName.StudyTime),
                s(list, TagFromName.StudyDescription),
                s(list, TagFromName.Modality), s(list, TagFromName.BodyPartExamined), laterality,
                s(list, TagFromName.SeriesDescription),
                integer(list, TagFromName.SeriesNumber), integer(list, TagFromName.InstanceNumber));
        if (h.sopInstanceUid() == null) throw new InstanceRefusedException("no SOP Instance UID (0008,0018)");
        if (h.sopClassUid() == null) throw new InstanceRefusedException("no SOP Class UID (0008,0016)");
        if (h.studyInstanceUid() == null) throw new InstanceRefusedException("no Study Instance UID (0020,000D)");
        if (h.seriesInstanceUid() == null) throw new InstanceRefusedException("no Series Instance UID (0020,000E)");
        return h;
    }

    private static String s(AttributeList list, AttributeTag tag) {
        String v = Attribute.getSingleStringValueOrNull(list, tag);
        if (v == null) return null;
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    /** A malformed date is treated as absent: it must not stop a study from being indexed. */
    private static LocalDate date(AttributeList list, AttributeTag tag) {
        String v = s(list, tag);
        if (v == null) return null;
        try {
            return LocalDate.parse(v.replace(".", "").replace("-", ""), DA);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer integer(AttributeList list, AttributeTag tag) {
        String v = s(list, tag);
        if (v == null) return null;
        try {
            return Integer.valueOf(v.replaceFirst("^\\+", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
