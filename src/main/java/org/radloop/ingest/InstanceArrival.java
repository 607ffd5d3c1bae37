package org.radloop.ingest;

import java.nio.file.Path;
import org.apache.camel.Message;
import org.radloop.dicom.DicomConstants;

/**
 * What the storage SCP says about one stored instance (the headers of {@link DicomConstants}). The
 * SOP Instance UID, hash and size are optional: the indexer works them out from the file when absent,
 * as it does when an analyst retries a quarantined file.
 */
public record InstanceArrival(Path file, String callingAeTitle, String remoteAddress, String sopInstanceUid,
                              String transferSyntaxUid, String sha256, Long fileSize) {

    static InstanceArrival from(Message in) {
        Object file = in.getHeader(DicomConstants.FILE);
        Path path = file instanceof Path p ? p : file == null ? null : Path.of(file.toString());
        if (path == null) throw new InstanceRefusedException("no stored file given in header " + DicomConstants.FILE);
        return new InstanceArrival(path,
                in.getHeader(DicomConstants.CALLING_AE_TITLE, String.class),
                in.getHeader(DicomConstants.REMOTE_ADDRESS, String.class),
                in.getHeader(DicomConstants.SOP_INSTANCE_UID, String.class),
                in.getHeader(DicomConstants.TRANSFER_SYNTAX_UID, String.class),
                in.getHeader(DicomConstants.SHA256, String.class),
                in.getHeader(DicomConstants.FILE_SIZE, Long.class));
    }

    /** An instance the SCP refused and quarantined itself: it may have kept no file at all. */
    static InstanceArrival fromRefused(Message in) {
        Object file = in.getHeader(DicomConstants.FILE);
        Path path = file instanceof Path p ? p : file == null ? Path.of("(no file kept)") : Path.of(file.toString());
        return new InstanceArrival(path,
                in.getHeader(DicomConstants.CALLING_AE_TITLE, String.class),
                in.getHeader(DicomConstants.REMOTE_ADDRESS, String.class),
                in.getHeader(DicomConstants.SOP_INSTANCE_UID, String.class),
                in.getHeader(DicomConstants.TRANSFER_SYNTAX_UID, String.class),
                in.getHeader(DicomConstants.SHA256, String.class),
                in.getHeader(DicomConstants.FILE_SIZE, Long.class));
    }

    /** A kept file sent through the indexer again, as the analyst's retry does. */
    public static InstanceArrival retryOf(Path file, String callingAeTitle, String remoteAddress) {
        return new InstanceArrival(file, callingAeTitle, remoteAddress, null, null, null, null);
    }
}
