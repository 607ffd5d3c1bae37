package org.radloop.delivery;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DateTimeAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The report PDF as a DICOM Encapsulated PDF instance (PS3.3 A.45.1) that belongs to the original
 * study: the same Study Instance UID, the patient and study modules as the study's own images carry
 * them (so the PACS files it with them), a new series (modality DOC), and the document title
 * "Radiology report" with LOINC 18748-4. Its UIDs are derived from the delivery's idempotency key,
 * so a retry sends the same instance again and the PACS stores it once.
 */
final class EncapsulatedPdfReport {

    /** What the original study's images say about patient and study; null fields fall back to the order's values. */
    record StudyModules(String patientName, String patientId, LocalDate birthDate, String sex,
                        LocalDate studyDate, String studyTime, String accessionNumber, String studyDescription) {
    }

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    private EncapsulatedPdfReport() {
    }

    /** A UID under the 2.25 root (PS3.5 B.2) from a name: the same name gives the same UID. */
    static String uid(String name) {
        UUID u = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    static void write(Path file, byte[] pdf, ReportForDelivery report, StudyModules study, String idempotencyKey,
                      ZoneId zone, String sourceAeTitle) throws DicomException, IOException {
        AttributeList list = new AttributeList();
        String sopUid = uid("sop|" + idempotencyKey);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.EncapsulatedPDFStorage);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopUid);
        put(list, new CodeStringAttribute(TagFromName.SpecificCharacterSet), "ISO_IR 192");

        ReportForDelivery.Patient p = report.patient();
        put(list, new PersonNameAttribute(TagFromName.PatientName), or(study.patientName(),
                nz(p.familyName()) + "^" + nz(p.givenName())));
        put(list, new LongStringAttribute(TagFromName.PatientID), or(study.patientId(), p.identifier()));
        put(list, new LongStringAttribute(TagFromName.IssuerOfPatientID), p.assigningAuthority());
        LocalDate birth = study.birthDate() != null ? study.birthDate() : p.birthDate();
        put(list, new DateAttribute(TagFromName.PatientBirthDate), birth == null ? null : DA.format(birth));
        put(list, new CodeStringAttribute(TagFromName.PatientSex), or(study.sex(), p.sex()));

        put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), report.studyInstanceUid());
        put(list, new DateAttribute(TagFromName.StudyDate), study.studyDate() == null ? null : DA.format(study.studyDate()));
        put(list, new TimeAttribute(TagFromName.StudyTime), study.studyTime());
        put(list, new ShortStringAttribute(TagFromName.AccessionNumber), or(study.accessionNumber(), report.order().accessionNumber()));
        put(list, new LongStringAttribute(TagFromName.StudyDescription), or(study.studyDescription(), report.order().procedureText()));
        ReportForDelivery.Person ref = report.order().orderingProvider();
        put(list, new PersonNameAttribute(TagFromName.ReferringPhysicianName), ref == null ? null : nz(ref.familyName()) + "^" + nz(ref.givenName()));
        put(list, new ShortStringAttribute(TagFromName.StudyID), null);

        put(list, new CodeStringAttribute(TagFromName.Modality), "DOC");
        put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), uid("series|" + idempotencyKey));
        put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), "9900");
        put(list, new LongStringAttribute(TagFromName.SeriesDescription), "Radiology report");
        put(list, new LongStringAttribute(TagFromName.Manufacturer), "RadLoop");
        put(list, new CodeStringAttribute(TagFromName.ConversionType), "WSD");

        ZonedDateTime signed = (report.signedAt() == null ? java.time.Instant.EPOCH : report.signedAt()).atZone(zone);
        put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(report.version()));
        put(list, new DateAttribute(TagFromName.ContentDate), DA.format(signed));
        put(list, new TimeAttribute(TagFromName.ContentTime), TM.format(signed));
        put(list, new DateTimeAttribute(TagFromName.AcquisitionDateTime), DA.format(signed) + TM.format(signed));
        put(list, new CodeStringAttribute(TagFromName.BurnedInAnnotation), "YES");
        put(list, new ShortStringAttribute(TagFromName.DocumentTitle), "Radiology report");
        SequenceAttribute concept = new SequenceAttribute(TagFromName.ConceptNameCodeSequence);
        concept.addItem(new CodedSequenceItem("18748-4", "LN", "Diagnostic imaging report").getAttributeList());
        list.put(concept);
        put(list, new LongStringAttribute(TagFromName.MIMETypeOfEncapsulatedDocument), "application/pdf");
        // OB values have even length: pad with a NUL and say the real length (0042,0015).
        byte[] padded = pdf.length % 2 == 0 ? pdf : java.util.Arrays.copyOf(pdf, pdf.length + 1);
        OtherByteAttribute doc = new OtherByteAttribute(TagFromName.EncapsulatedDocument);
        doc.setValues(padded);
        list.put(doc);
        UnsignedLongAttribute length = new UnsignedLongAttribute(new AttributeTag(0x0042, 0x0015));
        length.addValue(pdf.length);
        list.put(length);

        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, sourceAeTitle);
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static void put(AttributeList list, Attribute a, String value) throws DicomException {
        if (value != null && !value.isBlank()) a.addValue(value);
        list.put(a);
    }

    private static String or(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
