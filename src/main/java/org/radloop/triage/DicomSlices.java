package org.radloop.triage;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads DICOM slices for the models through PixelMed: the header fields that choose a series, and
 * the pixel values in rescaled units (Hounsfield units for CT).
 *
 * <p>PixelMed cannot decode JPEG-LS or JPEG 2000; such a slice is reported as
 * {@link UndecodablePixels} with the reason, so the model skips the series instead of failing.
 */
public final class DicomSlices {

    /** Transfer syntaxes PixelMed reads the pixels of, without or with a decoder it ships. */
    private static final Map<String, String> UNDECODABLE = Map.of(
            TransferSyntax.JPEGLS, "JPEG-LS lossless",
            TransferSyntax.JPEGNLS, "JPEG-LS near-lossless",
            TransferSyntax.JPEG2000Lossless, "JPEG 2000 lossless",
            TransferSyntax.JPEG2000, "JPEG 2000");

    private DicomSlices() {
    }

    /** What chooses a series and orders its slices; read without the pixel data. */
    public record Header(Path file, String studyUid, String seriesUid, String studyDescription,
                         String seriesDescription, String modality, String bodyPart, String sopClass,
                         String transferSyntax, int instanceNumber) {
    }

    /** One frame's pixel values, row by row, in rescaled units when rescaling was asked for. */
    public record Slice(Header header, int frame, int rows, int columns, float[] values) {
    }

    /** The pixels of a slice cannot be read; {@code reason} says why, for the skipped series' record. */
    public static final class UndecodablePixels extends Exception {
        public UndecodablePixels(String reason) {
            super(reason);
        }
    }

    public static Header header(Path file) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile(), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new IOException("Not a readable DICOM file: " + e.getMessage(), e);
        }
        return header(file, list);
    }

    private static Header header(Path file, AttributeList list) {
        String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        return new Header(file,
                text(list, TagFromName.StudyInstanceUID),
                text(list, TagFromName.SeriesInstanceUID),
                text(list, TagFromName.StudyDescription),
                text(list, TagFromName.SeriesDescription),
                text(list, TagFromName.Modality),
                text(list, TagFromName.BodyPartExamined),
                text(list, TagFromName.SOPClassUID),
                ts.isEmpty() ? TransferSyntax.ImplicitVRLittleEndian : ts,
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0));
    }

    private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    /**
     * Every frame of the file, in rescaled units when {@code rescale} (RescaleSlope x stored value +
     * RescaleIntercept). MONOCHROME1 is inverted so that brighter always means denser, whatever the
     * modality wrote.
     */
    public static List<Slice> read(Header header, boolean rescale) throws IOException, UndecodablePixels {
        String undecodable = UNDECODABLE.get(header.transferSyntax());
        if (undecodable != null) {
            throw new UndecodablePixels(undecodable + " pixel data (" + header.transferSyntax()
                    + ") cannot be decoded by PixelMed");
        }
        AttributeList list = new AttributeList();
        try {
            list.read(header.file().toFile());
        } catch (DicomException e) {
            throw new IOException("Not a readable DICOM file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UndecodablePixels("pixel data could not be decoded: " + e);
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16);
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        String photometric = text(list, TagFromName.PhotometricInterpretation);
        if (rows <= 0 || columns <= 0) throw new UndecodablePixels("no image (Rows/Columns missing)");
        if (samples != 1) throw new UndecodablePixels("colour images (" + photometric + ") are not model input");
        double slope = rescale ? Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0) : 1.0;
        double intercept = rescale ? Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0) : 0.0;
        if (slope == 0) slope = 1.0;

        int[] stored = storedValues(list.getPixelData(), bitsAllocated, bitsStored, signed, rows * columns * frames);
        boolean invert = "MONOCHROME1".equals(photometric);
        int maxStored = signed ? (1 << (bitsStored - 1)) - 1 : (1 << bitsStored) - 1;
        int minStored = signed ? -(1 << (bitsStored - 1)) : 0;
        List<Slice> slices = new ArrayList<>(frames);
        int perFrame = rows * columns;
        for (int f = 0; f < frames; f++) {
            float[] values = new float[perFrame];
            for (int i = 0; i < perFrame; i++) {
                int v = stored[f * perFrame + i];
                if (invert) v = maxStored + minStored - v;
                values[i] = (float) (v * slope + intercept);
            }
            slices.add(new Slice(header, f, rows, columns, values));
        }
        return slices;
    }

    private static int[] storedValues(Attribute pixelData, int bitsAllocated, int bitsStored, boolean signed, int count)
            throws UndecodablePixels {
        if (pixelData == null) throw new UndecodablePixels("no Pixel Data");
        try {
            int[] out = new int[count];
            int shift = 32 - bitsStored;
            int mask = bitsStored >= 32 ? -1 : (1 << bitsStored) - 1;
            if (bitsAllocated == 16 && pixelData instanceof OtherWordAttribute) {
                short[] s = pixelData.getShortValues();
                if (s.length < count) throw new UndecodablePixels("Pixel Data shorter than Rows x Columns x Frames");
                for (int i = 0; i < count; i++) out[i] = signed ? (s[i] << shift) >> shift : s[i] & mask;
                return out;
            }
            if (bitsAllocated == 8 && (pixelData instanceof OtherByteAttribute || pixelData instanceof OtherWordAttribute)) {
                byte[] b = pixelData.getByteValues();
                if (b.length < count) throw new UndecodablePixels("Pixel Data shorter than Rows x Columns x Frames");
                for (int i = 0; i < count; i++) out[i] = signed ? (b[i] << 24) >> 24 : b[i] & 0xFF;
                return out;
            }
            if (bitsAllocated == 16 && pixelData instanceof OtherByteAttribute) {
                byte[] b = pixelData.getByteValues();
                if (b.length < count * 2) throw new UndecodablePixels("Pixel Data shorter than Rows x Columns x Frames");
                for (int i = 0; i < count; i++) {
                    int v = (b[2 * i] & 0xFF) | ((b[2 * i + 1] & 0xFF) << 8);
                    out[i] = signed ? (v << shift) >> shift : v & mask;
                }
                return out;
            }
        } catch (DicomException e) {
            throw new UndecodablePixels("pixel data could not be read: " + e.getMessage());
        }
        throw new UndecodablePixels("pixel data of " + bitsAllocated + " bits in " + pixelData.getClass().getSimpleName()
                + " is not model input");
    }
}
