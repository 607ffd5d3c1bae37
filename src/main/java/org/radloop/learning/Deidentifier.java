package org.radloop.learning;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * De-identifies one DICOM instance in the manner of the DICOM PS3.15 Basic Application Level
 * Confidentiality Profile, with the options "Retain Longitudinal Temporal Information with Modified
 * Dates" and "Retain Patient Characteristics" (sex, age, size, weight) and descriptions kept:
 * <ul>
 * <li>PixelMed's {@link ClinicalTrialsAttributes#removeOrNullIdentifyingAttributes} removes or empties
 * the profile's identifying attributes (names, identifiers, addresses, institution, device serial
 * numbers, comments...), recursively in sequences; private attributes are removed;</li>
 * <li>Patient Name and Patient ID become a pseudonym, the same for the same patient every time
 * (keyed HMAC of the patient's identifier with the data folder's secret); birth date is removed;</li>
 * <li>every date (DA) and date-time (DT), in sequences too, moves by the patient's own offset (30 to
 * 3,680 days back, from the same keyed HMAC): intervals within a patient's history stay true;</li>
 * <li>every UID that is not a DICOM-defined one (SOP Class, Transfer Syntax, coding schemes under
 * 1.2.840.10008) becomes {@code 2.25.<keyed hash>}: the same source UID always maps to the same new
 * one, so studies, series and references stay linked;</li>
 * <li>Patient Identity Removed YES, De-identification Method, Longitudinal Temporal Information
 * Modified MODIFIED are set.</li>
 * </ul>
 * The pixel data is not inspected for burnt-in text: sources with burnt-in annotations need redaction first.
 */
public final class Deidentifier {

    public static final String METHOD = "RadLoop PS3.15 basic profile: retain longitudinal temporal information with modified dates, "
            + "retain patient characteristics, descriptors kept; UIDs remapped; private attributes removed";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final byte[] secret;

    public Deidentifier(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The result: where it was written and the new UIDs (for the labels file). */
    public record Written(Path file, String studyUid, String seriesUid, String sopInstanceUid, String patientPseudonym) {
    }

    public Written deidentify(Path source, Path targetDir) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(source.toFile());
            String patientKey = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID).trim() + "|"
                    + Attribute.getSingleStringValueOrEmptyString(list, TagFromName.IssuerOfPatientID).trim() + "|"
                    + (Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID).isBlank()
                    ? Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientName) : "");
            String pseudonym = "RL" + HexFormat.of().formatHex(hmac("patient|" + patientKey), 0, 6).toUpperCase();
            long shiftDays = -(30 + Math.floorMod(new BigInteger(1, hmac("dates|" + patientKey)).longValue(), 3650));

            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            list.removeUnsafePrivateAttributes();
            list.removePrivateAttributes();
            ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list, ClinicalTrialsAttributes.HandleUIDs.keep,
                    true, true, true, false, false, ClinicalTrialsAttributes.HandleDates.keep, null, null);
            rewrite(list, shiftDays);
            list.remove(TagFromName.PatientBirthDate);
            put(list, new PersonNameAttribute(TagFromName.PatientName), "ANONYMOUS^" + pseudonym);
            put(list, new LongStringAttribute(TagFromName.PatientID), pseudonym);
            put(list, new CodeStringAttribute(TagFromName.PatientIdentityRemoved), "YES");
            put(list, new LongStringAttribute(TagFromName.DeidentificationMethod), METHOD.substring(0, 64));
            put(list, new CodeStringAttribute(TagFromName.LongitudinalTemporalInformationModified), "MODIFIED");

            String study = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
            String series = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID);
            String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            Path out = targetDir.resolve(study).resolve(series).resolve(sop + ".dcm");
            java.nio.file.Files.createDirectories(out.getParent());
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "RADLOOP");
            list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            return new Written(out, study, series, sop, pseudonym);
        } catch (DicomException e) {
            throw new IOException(source.getFileName() + " cannot be de-identified: " + e.getMessage(), e);
        }
    }

    /** Shifts every date and remaps every non-DICOM UID, recursively through sequences. */
    private void rewrite(AttributeList list, long shiftDays) throws DicomException {
        List<Attribute> attributes = new ArrayList<>(list.values());
        for (Attribute a : attributes) {
            byte[] vr = a.getVR();
            if (a instanceof SequenceAttribute seq) {
                Iterator<?> items = seq.iterator();
                while (items.hasNext()) rewrite(((SequenceItem) items.next()).getAttributeList(), shiftDays);
                continue;
            }
            if (ValueRepresentation.isDateVR(vr) || ValueRepresentation.isDateTimeVR(vr)) {
                String[] values = a.getStringValues();
                if (values == null) continue;
                a.removeValues();
                for (String v : values) a.addValue(shift(v, shiftDays));
            } else if (ValueRepresentation.isPersonNameVR(vr)) {
                // Any person's name the profile's list did not name (a private-turned-standard field, a
                // new attribute): a name is never kept. Patient Name is set to the pseudonym afterwards.
                a.removeValues();
            } else if (ValueRepresentation.isUniqueIdentifierVR(vr)) {
                AttributeTag tag = a.getTag();
                if (tag.equals(TagFromName.SOPClassUID) || tag.equals(TagFromName.TransferSyntaxUID)) continue;
                String[] values = a.getStringValues();
                if (values == null) continue;
                a.removeValues();
                for (String v : values) a.addValue(remapUid(v.trim()));
            }
        }
    }

    /** A DA (yyyyMMdd) or the date part of a DT moved by the offset; anything unparseable is emptied, never kept. */
    static String shift(String value, long days) {
        String v = value == null ? "" : value.trim();
        if (v.length() < 8) return "";
        try {
            String moved = LocalDate.parse(v.substring(0, 8), DA).plusDays(days).format(DA);
            return moved + v.substring(8);
        } catch (RuntimeException e) {
            return "";
        }
    }

    String remapUid(String uid) {
        if (uid.isEmpty() || uid.startsWith("1.2.840.10008.")) return uid;
        byte[] h = hmac("uid|" + uid);
        byte[] first16 = java.util.Arrays.copyOf(h, 16);
        return "2.25." + new BigInteger(1, first16);
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    private static void put(AttributeList list, Attribute a, String value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }
}
