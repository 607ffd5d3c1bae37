package org.radloop.triage.demo;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Writes phantom studies as real DICOM Part 10 files (PixelMed, explicit VR little endian), so that
 * tests and benchmarks exercise the same path as a study from a scanner: file -> PixelMed -> pixels.
 * Patient fields say PHANTOM: these are never patients.
 */
public final class PhantomSeries {

    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String CR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1";

    private PhantomSeries() {
    }

    /**
     * A CT head series of {@code slices} axial slices; with a bleed, a sphere-like haemorrhage crosses
     * the middle slices (largest in the centre of the series).
     */
    public static List<Path> writeCtHead(Path dir, long seed, int slices, int size, boolean bleed) throws IOException {
        return writeCtHead(dir, seed, slices, size, bleed, uid(), uid());
    }

    /** As above, with the Study and Series Instance UIDs given (for a caller that needs them repeatable). */
    public static List<Path> writeCtHead(Path dir, long seed, int slices, int size, boolean bleed, String study,
                                         String series) throws IOException {
        Random rnd = new Random(seed);
        Files.createDirectories(dir);
        CtHeadPhantom.Bleed core = bleed ? CtHeadPhantom.randomBleed(rnd) : null;
        if (core != null) core = new CtHeadPhantom.Bleed(core.cx(), core.cy(), Math.max(0.06, core.radius()), core.hu());
        double centre = (slices - 1) / 2.0;
        double halfExtent = Math.max(1.5, slices / 5.0);
        List<Path> files = new ArrayList<>(slices);
        for (int z = 0; z < slices; z++) {
            double t = slices == 1 ? 0 : (z - centre) / Math.max(1, centre);
            double scale = Math.sqrt(Math.max(0.35, 1 - 0.55 * t * t));
            CtHeadPhantom.Bleed here = null;
            if (core != null && Math.abs(z - centre) <= halfExtent) {
                double f = Math.sqrt(1 - Math.pow((z - centre) / (halfExtent + 1), 2));
                here = new CtHeadPhantom.Bleed(core.cx(), core.cy(), core.radius() * f, core.hu());
            }
            float[] hu = CtHeadPhantom.slice(rnd, size, scale, here);
            short[] stored = new short[hu.length];
            for (int i = 0; i < hu.length; i++) stored[i] = (short) Math.max(0, Math.min(4095, Math.round(hu[i] + 1024)));
            AttributeList list = common(study, series, CT_IMAGE_STORAGE, "CT", "HEAD", "CT HEAD WITHOUT CONTRAST",
                    "AXIAL 5MM", z + 1, size, stored);
            try {
                put(list, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
                put(list, new DecimalStringAttribute(TagFromName.RescaleIntercept), "-1024");
                put(list, new DecimalStringAttribute(TagFromName.SliceThickness), "5");
                put(list, new DecimalStringAttribute(TagFromName.SliceLocation), Double.toString(z * 5.0));
            } catch (DicomException e) {
                throw new IOException(e.getMessage(), e);
            }
            files.add(write(dir.resolve(String.format("ct-%04d.dcm", z + 1)), list));
        }
        return files;
    }

    /** One frontal chest radiograph (CR), 12-bit, with or without the pneumothorax-like pattern. */
    public static List<Path> writeChest(Path dir, long seed, int size, boolean pneumothorax) throws IOException {
        Random rnd = new Random(seed);
        Files.createDirectories(dir);
        float[] img = ChestRadiographPhantom.image(rnd, size, pneumothorax);
        short[] stored = new short[img.length];
        for (int i = 0; i < img.length; i++) stored[i] = (short) Math.round(img[i] * 4095);
        AttributeList list = common(uid(), uid(), CR_IMAGE_STORAGE, "CR", "CHEST", "XR CHEST PA", "PA", 1, size, stored);
        return List.of(write(dir.resolve("cr-0001.dcm"), list));
    }

    private static AttributeList common(String study, String series, String sopClass, String modality, String bodyPart,
                                        String studyDescription, String seriesDescription, int instance, int size,
                                        short[] pixels) throws IOException {
        try {
            AttributeList list = new AttributeList();
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), sopClass);
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), uid());
            put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), study);
            put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), series);
            put(list, new PersonNameAttribute(TagFromName.PatientName), "PHANTOM^" + modality);
            put(list, new LongStringAttribute(TagFromName.PatientID), "PHANTOM");
            put(list, new ShortStringAttribute(TagFromName.AccessionNumber), "");
            put(list, new CodeStringAttribute(TagFromName.Modality), modality);
            put(list, new CodeStringAttribute(TagFromName.BodyPartExamined), bodyPart);
            put(list, new LongStringAttribute(TagFromName.StudyDescription), studyDescription);
            put(list, new LongStringAttribute(TagFromName.SeriesDescription), seriesDescription);
            put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), "1");
            put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(instance));
            put(list, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(size));
            put(list, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(size));
            put(list, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), "1");
            put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
            put(list, new UnsignedShortAttribute(TagFromName.BitsAllocated), "16");
            put(list, new UnsignedShortAttribute(TagFromName.BitsStored), "12");
            put(list, new UnsignedShortAttribute(TagFromName.HighBit), "11");
            put(list, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "0");
            OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
            pixelData.setValues(pixels);
            list.put(pixelData);
            return list;
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void put(AttributeList list, Attribute a, String value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }

    private static Path write(Path file, AttributeList list) throws IOException {
        try {
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "RADLOOP");
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            return file;
        } catch (DicomException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A UID under the UUID-derived root 2.25 (no registered root needed). */
    static String uid() {
        return uid(UUID.randomUUID());
    }

    /** A UID under 2.25 from a name-based UUID: looks as random as a scanner's, and is the same every run. */
    public static String uid(String name) {
        return uid(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    private static String uid(UUID u) {
        BigInteger v = new BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
        return "2.25." + v;
    }

}
