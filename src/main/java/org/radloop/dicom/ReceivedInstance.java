package org.radloop.dicom;

import java.nio.file.Path;

/**
 * An instance the SCP received, as handed to the route: where its bytes are and who sent it. For a
 * refused instance {@code quarantineReason} says why and {@code file} is the quarantined copy (or
 * null when no bytes could be kept). {@code durable} completes once the file's rename into place
 * is durable (null for a refused instance); see {@link DicomConstants#DURABLE}.
 */
record ReceivedInstance(
        String callingAeTitle,
        String calledAeTitle,
        String remoteAddress,
        String sopClassUid,
        String sopInstanceUid,
        String studyInstanceUid,
        String seriesInstanceUid,
        String transferSyntaxUid,
        Path file,
        long fileSize,
        String sha256,
        InstanceStore.Duplicate duplicate,
        String quarantineReason,
        int status,
        java.util.concurrent.CompletableFuture<Void> durable) {
}
