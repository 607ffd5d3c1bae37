package org.radloop.dicom;

import java.util.Set;

/**
 * The transfer syntaxes the SCP accepts and stores as received. The data set is never transcoded,
 * so any syntax whose encoding of the data set itself we can walk (implicit/explicit VR, either
 * endianness, deflate) is fine; compressed pixel data is passed through untouched.
 */
final class TransferSyntaxes {
    private TransferSyntaxes() {
    }

    static final String IMPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String EXPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String DEFLATED_EXPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    static final String EXPLICIT_BIG_ENDIAN = "1.2.840.10008.1.2.2";

    static final Set<String> ACCEPTED = Set.of(
            IMPLICIT_LITTLE_ENDIAN, EXPLICIT_LITTLE_ENDIAN, DEFLATED_EXPLICIT_LITTLE_ENDIAN, EXPLICIT_BIG_ENDIAN,
            "1.2.840.10008.1.2.4.50", // JPEG baseline
            "1.2.840.10008.1.2.4.51", // JPEG extended
            "1.2.840.10008.1.2.4.57", // JPEG lossless
            "1.2.840.10008.1.2.4.70", // JPEG lossless SV1
            "1.2.840.10008.1.2.4.80", // JPEG-LS lossless
            "1.2.840.10008.1.2.4.81", // JPEG-LS near-lossless
            "1.2.840.10008.1.2.4.90", // JPEG 2000 lossless
            "1.2.840.10008.1.2.4.91", // JPEG 2000
            "1.2.840.10008.1.2.4.92", // JPEG 2000 part 2 lossless
            "1.2.840.10008.1.2.4.93", // JPEG 2000 part 2
            "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102", // MPEG2, MPEG-4
            "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105",
            "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108", // HEVC
            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", // HTJ2K
            "1.2.840.10008.1.2.5"); // RLE lossless

    static boolean isImplicitVr(String uid) {
        return IMPLICIT_LITTLE_ENDIAN.equals(uid);
    }

    static boolean isBigEndian(String uid) {
        return EXPLICIT_BIG_ENDIAN.equals(uid);
    }

    static boolean isDeflated(String uid) {
        return DEFLATED_EXPLICIT_LITTLE_ENDIAN.equals(uid);
    }
}
