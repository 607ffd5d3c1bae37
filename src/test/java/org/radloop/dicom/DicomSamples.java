package org.radloop.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UIDGenerator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Real sample DICOM files (Debian's python3-pydicom) and instances derived from them for tests. */
final class DicomSamples {
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private DicomSamples() {
    }

    static Path sample(String name) {
        Path p = PYDICOM.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("sample file missing (install python3-pydicom): " + p);
        }
        return p;
    }

    /**
     * A CT series of {@code slices} instances made from CT_small.dcm with fresh study, series and
     * SOP instance UIDs, written as explicit VR little endian Part 10 files.
     */
    static List<Path> syntheticCtSeries(Path dir, int slices) throws Exception {
        Files.createDirectories(dir);
        UIDGenerator uids = new UIDGenerator();
        String study = uids.getAnotherNewUID();
        String series = uids.getAnotherNewUID();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= slices; i++) {
            AttributeList list = new AttributeList();
            list.read(sample("CT_small.dcm").toFile());
            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            // dcmtk drops trailing padding when it sends; without it the sent bytes equal the file's.
            list.remove(TagFromName.DataSetTrailingPadding);
            String sop = uids.getAnotherNewUID();
            put(list, TagFromName.StudyInstanceUID, study);
            put(list, TagFromName.SeriesInstanceUID, series);
            put(list, TagFromName.SOPInstanceUID, sop);
            put(list, TagFromName.InstanceNumber, Integer.toString(i));
            FileMetaInformation.addFileMetaInformation(list, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, "RADLOOPTEST");
            Path file = dir.resolve(String.format("ct-%03d.dcm", i));
            list.write(file.toFile(), TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, true, true);
            files.add(file);
        }
        return files;
    }

    private static void put(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    /**
     * {@code source} rewritten by dcmtk's dcmconv (same transfer syntax, explicit lengths, no
     * trailing padding): the exact bytes storescu puts on the wire for it, since storescu re-encodes
     * what it reads. Compressed pixel data passes through unchanged.
     */
    static Path asDcmtkSendsIt(Path source, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        var result = org.radloop.support.DcmtkTool.run("dcmconv", "-p", source.toString(), target.toString());
        if (!result.succeeded()) {
            throw new IllegalStateException("dcmconv failed for " + source + ": " + result.output());
        }
        return target;
    }

    /** The data set bytes of a Part 10 file (everything after the meta header). */
    static byte[] dataSetBytes(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, (int) Part10.dataSetOffset(file), all.length);
    }

    /** A copy of {@code source} with its last {@code cut} bytes missing, as a broken sender would leave it. */
    static Path truncatedCopy(Path source, Path target, int cut) throws IOException {
        Files.copy(source, target);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - cut);
        }
        return target;
    }
}
