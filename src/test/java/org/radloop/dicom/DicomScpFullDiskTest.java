package org.radloop.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.DcmtkTool;
import org.radloop.support.TestEngine;

/**
 * A full disk, for real: the SCP runs in its own JVM inside a private mount namespace whose storage
 * folder is a 300 KiB tmpfs (the mount vanishes with the process). An instance that does not fit
 * gets 0xA700 and leaves no partial file; the next one on the same association is stored.
 */
class DicomScpFullDiskTest {

    @TempDir
    Path work;

    @Test
    void anInstanceThatDoesNotFitIsRefusedWithOutOfResourcesAndLeavesNoPartialFile() throws Exception {
        List<Path> small = new ArrayList<>();
        for (Path slice : DicomSamples.syntheticCtSeries(work.resolve("pixelmed"), 2)) {
            small.add(DicomSamples.asDcmtkSendsIt(slice, work.resolve("send").resolve(slice.getFileName())));
        }
        Path big = DicomSamples.asDcmtkSendsIt(bigCt(work.resolve("pixelmed/big.dcm")), work.resolve("send/big.dcm"));
        assertThat(Files.size(big)).isGreaterThan(400 * 1024);

        Path mount = Files.createDirectories(work.resolve("disk"));
        int port = TestEngine.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "mount -t tmpfs -o size=300k tmpfs '" + mount + "' && exec '" + java + "' -Xmx128m -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' " + StandaloneScp.class.getName() + " " + port + " '" + mount.resolve("dicom") + "'";
        Process scp = new ProcessBuilder("unshare", "-m", "sh", "-c", script).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(scp.getInputStream(), StandardCharsets.UTF_8));
            awaitLine(out, "READY");

            // --no-halt: storescu stops at the first refusal by default; a modality's queue goes on.
            DcmtkTool.Result sent = DcmtkTool.run("storescu", "-v", "--no-halt", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1",
                    Integer.toString(port), small.get(0).toString(), big.toString(), small.get(1).toString());
            assertThat(sent.output()).containsSubsequence(
                    "Received Store Response (Success)",
                    "Received Store Response (Refused: OutOfResources)",
                    "Received Store Response (Success)");

            PrintStream in = new PrintStream(scp.getOutputStream(), true, StandardCharsets.UTF_8);
            in.println("LIST");
            List<String> files = new ArrayList<>();
            for (String line = awaitLine(out, "FILE", "END"); !line.startsWith("END"); line = awaitLine(out, "FILE", "END")) {
                files.add(line);
            }
            assertThat(files).filteredOn(f -> f.contains("/dicom/") && f.contains(".dcm ")).hasSize(2);
            assertThat(files).noneMatch(f -> f.contains(".part"));
            assertThat(files).anyMatch(f -> f.contains("/quarantine/") && f.endsWith(".reason " + f.substring(f.lastIndexOf(' ') + 1)));
        } finally {
            scp.destroy();
            if (!scp.waitFor(10, TimeUnit.SECONDS)) {
                scp.destroyForcibly();
            }
        }
    }

    private static String awaitLine(BufferedReader out, String... prefixes) throws Exception {
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            for (String p : prefixes) {
                if (line.startsWith(p)) {
                    return line;
                }
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("standalone SCP ended without " + String.join("/", prefixes) + ":\n" + seen);
    }

    /** A CT instance with 512x512 16-bit pixel data (512 KiB), too big for the 300 KiB disk. */
    private static Path bigCt(Path target) throws Exception {
        Path base = DicomSamples.syntheticCtSeries(target.getParent().resolve("big-base"), 1).get(0);
        AttributeList list = new AttributeList();
        list.read(base.toFile());
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        set(list, TagFromName.Rows, "512");
        set(list, TagFromName.Columns, "512");
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        short[] values = new short[512 * 512];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) (i % 4096);
        }
        pixels.setValues(values);
        list.put(pixels);
        String sop = com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(list, TagFromName.SOPInstanceUID);
        list.putAll(new FileMetaInformation(com.pixelmed.dicom.SOPClass.CTImageStorage, sop,
                TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, "TEST").getAttributeList());
        list.write(target.toFile(), TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, true, true);
        return target;
    }

    private static void set(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        com.pixelmed.dicom.Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
