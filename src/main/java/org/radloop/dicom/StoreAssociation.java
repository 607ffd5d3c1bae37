package org.radloop.dicom;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one accepted association: C-ECHO, and C-STORE with the order that makes an acknowledgement
 * trustworthy: stream to a temporary file, fsync, check the data set, rename into place, run the
 * route while the series folder is fsynced (the route's commit waits for that fsync), and only then
 * answer success. Any refusal quarantines the bytes and answers a failure
 * status; the association carries on with the next request.
 */
final class StoreAssociation {
    private static final Logger LOG = LoggerFactory.getLogger(StoreAssociation.class);

    private final ScpSettings settings;
    private final InstanceStore store;
    private final InstanceListener listener;
    private final StoragePresentationContexts contexts = new StoragePresentationContexts();
    private Association association;
    private String remoteAddress;

    StoreAssociation(ScpSettings settings, InstanceStore store, InstanceListener listener) {
        this.settings = settings;
        this.store = store;
        this.listener = listener;
    }

    void serve(Socket socket) throws Exception {
        remoteAddress = socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
        association = AssociationFactory.createNewAssociation(socket, settings.aeTitle(), settings.maxPduSize(), 0, 0, contexts);
        LOG.debug("association from {} at {}", association.getCallingAETitle(), remoteAddress);
        while (true) {
            DimseRequestReceiver receiver = new DimseRequestReceiver(store.incomingDir());
            association.setReceivedDataHandler(receiver);
            try {
                association.waitForPDataPDUsUntilHandlerReportsDone();
            } catch (AReleaseException released) {
                receiver.abandon();
                return;
            } catch (Exception broken) {
                receiver.abandon();
                throw broken;
            }
            respond(receiver);
        }
    }

    private void respond(DimseRequestReceiver receiver) throws Exception {
        byte pcId = receiver.presentationContextId();
        if (receiver.echo() != null) {
            association.send(pcId, new CEchoResponseCommandMessage(receiver.echo().getAffectedSOPClassUID(),
                    receiver.echo().getMessageID(), DicomStatus.SUCCESS).getBytes(), null);
            return;
        }
        CStoreRequestCommandMessage rq = receiver.store();
        int status = store(receiver);
        association.send(pcId, new CStoreResponseCommandMessage(rq.getAffectedSOPClassUID(),
                rq.getAffectedSOPInstanceUID(), rq.getMessageID(), status).getBytes(), null);
    }

    private int store(DimseRequestReceiver receiver) {
        CStoreRequestCommandMessage rq = receiver.store();
        String sopInstanceUid = rq.getAffectedSOPInstanceUID();
        String transferSyntax = receiver.transferSyntaxUid();
        if (receiver.writeFailure() != null) {
            // Disk full or unwritable: nothing partial is left (the receiver removed it).
            LOG.warn("C-STORE of {} from {} not written: {}", sopInstanceUid, association.getCallingAETitle(),
                    receiver.writeFailure().toString());
            return refuse(receiver, null, DicomStatus.OUT_OF_RESOURCES, "could not write the instance: " + receiver.writeFailure());
        }
        IncomingFile incoming = receiver.incoming();
        if (incoming == null) {
            return refuse(receiver, null, DicomStatus.CANNOT_UNDERSTAND, "C-STORE request without a data set");
        }
        DataSetInspector.Findings found;
        try (InputStream in = Files.newInputStream(incoming.path())) {
            in.skipNBytes(incoming.metaLength());
            found = DataSetInspector.inspect(in, incoming.dataSetLength(), transferSyntax);
            checkAgainstRequest(found, rq, contexts.abstractSyntaxOf(receiver.presentationContextId()));
        } catch (MalformedDataSetException e) {
            return refuse(receiver, incoming.path(), e.status(), e.getMessage());
        } catch (IOException e) {
            incoming.discard();
            return refuse(receiver, null, DicomStatus.OUT_OF_RESOURCES, "could not read back the instance: " + e);
        }
        InstanceStore.Placed placed;
        try {
            placed = store.commitLater(incoming, found.studyInstanceUid(), found.seriesInstanceUid(), found.sopInstanceUid());
        } catch (IOException e) {
            incoming.discard();
            LOG.warn("C-STORE of {} not stored: {}", sopInstanceUid, e.toString());
            return refuse(receiver, null, DicomStatus.OUT_OF_RESOURCES, "could not store the instance: " + e);
        }
        InstanceStore.Stored stored = placed.stored();
        ReceivedInstance instance = new ReceivedInstance(association.getCallingAETitle(), association.getCalledAETitle(),
                remoteAddress, found.sopClassUid(), found.sopInstanceUid(), found.studyInstanceUid(),
                found.seriesInstanceUid(), transferSyntax, stored.file(), stored.size(), incoming.sha256(),
                stored.duplicate(), null, DicomStatus.SUCCESS, placed.durable());
        try {
            // The series folder's fsync runs meanwhile; the route's commit waits for it (header
            // RadLoopDicomDurable), and so does the response below whatever the route does.
            listener.stored(instance);
            InstanceStore.awaitDurable(placed);
        } catch (Exception e) {
            // Only the exception type here: a route's message may carry patient data; the full text
            // goes to the quarantine reason file.
            LOG.warn("route failed for SOP instance {}; answering {}: {}", sopInstanceUid,
                    DicomStatus.hex(DicomStatus.OUT_OF_RESOURCES), e.getClass().getName());
            if (stored.created()) {
                // Withdraw what this request added, so the store only holds acknowledged instances
                // and a resend by the modality is treated as new; the copy waits in quarantine.
                try {
                    store.quarantine(stored.file(), sopInstanceUid, reasonText(receiver, DicomStatus.OUT_OF_RESOURCES,
                            "route failed: " + e));
                } catch (IOException q) {
                    LOG.error("could not quarantine {} after route failure: {}", stored.file(), q.toString());
                }
            }
            return DicomStatus.OUT_OF_RESOURCES;
        }
        LOG.debug("stored {} ({} bytes, {})", sopInstanceUid, stored.size(), stored.duplicate());
        return DicomStatus.SUCCESS;
    }

    private static void checkAgainstRequest(DataSetInspector.Findings found, CStoreRequestCommandMessage rq, String contextSopClass)
            throws MalformedDataSetException {
        if (found.sopInstanceUid() == null) {
            throw mismatch("SOP Instance UID (0008,0018) missing from the data set");
        }
        if (found.sopClassUid() == null) {
            throw mismatch("SOP Class UID (0008,0016) missing from the data set");
        }
        if (!found.sopClassUid().equals(rq.getAffectedSOPClassUID()) || !found.sopClassUid().equals(contextSopClass)) {
            throw mismatch("SOP Class UID in the data set (" + found.sopClassUid() + ") differs from the request ("
                    + rq.getAffectedSOPClassUID() + ") or the presentation context (" + contextSopClass + ")");
        }
        if (!found.sopInstanceUid().equals(rq.getAffectedSOPInstanceUID())) {
            throw mismatch("SOP Instance UID in the data set (" + found.sopInstanceUid() + ") differs from the request ("
                    + rq.getAffectedSOPInstanceUID() + ")");
        }
        if (!InstanceStore.isValidUid(found.sopInstanceUid()) || !InstanceStore.isValidUid(found.studyInstanceUid())
                || !InstanceStore.isValidUid(found.seriesInstanceUid())) {
            throw mismatch("missing or invalid SOP/Study/Series Instance UID (" + found.sopInstanceUid() + ", "
                    + found.studyInstanceUid() + ", " + found.seriesInstanceUid() + ")");
        }
    }

    private static MalformedDataSetException mismatch(String reason) {
        return new MalformedDataSetException(DicomStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, reason);
    }

    /** Quarantines the bytes (if any) with a reason file and tells the listener; returns {@code status}. */
    private int refuse(DimseRequestReceiver receiver, Path file, int status, String reason) {
        CStoreRequestCommandMessage rq = receiver.store();
        LOG.warn("C-STORE of {} from {} refused with {}: {}", rq.getAffectedSOPInstanceUID(),
                association.getCallingAETitle(), DicomStatus.hex(status), reason);
        Path kept = null;
        try {
            kept = store.quarantine(file, rq.getAffectedSOPInstanceUID(), reasonText(receiver, status, reason));
        } catch (IOException e) {
            // A full disk cannot take the reason file either; the refusal itself still goes out.
            LOG.error("could not quarantine refused instance {}: {}", rq.getAffectedSOPInstanceUID(), e.toString());
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // leave it; .incoming is cleaned at the next start
                }
            }
        }
        Path quarantinedFile = kept != null && kept.toString().endsWith(".dcm") ? kept : null;
        long size = 0;
        try {
            size = quarantinedFile == null ? 0 : Files.size(quarantinedFile);
        } catch (IOException ignored) {
            // size is informative only
        }
        try {
            listener.quarantined(new ReceivedInstance(association.getCallingAETitle(), association.getCalledAETitle(),
                    remoteAddress, rq.getAffectedSOPClassUID(), rq.getAffectedSOPInstanceUID(), null, null,
                    receiver.transferSyntaxUid(), quarantinedFile, size,
                    receiver.incoming() == null ? null : receiver.incoming().sha256(), InstanceStore.Duplicate.NONE, reason, status,
                    null));
        } catch (RuntimeException e) {
            LOG.warn("route for quarantined instance failed: {}", e.toString());
        }
        return status;
    }

    private String reasonText(DimseRequestReceiver receiver, int status, String reason) {
        CStoreRequestCommandMessage rq = receiver.store();
        return "status: " + DicomStatus.hex(status) + "\n"
                + "reason: " + reason + "\n"
                + "time: " + Instant.now() + "\n"
                + "calling-ae: " + association.getCallingAETitle() + "\n"
                + "called-ae: " + association.getCalledAETitle() + "\n"
                + "remote-address: " + remoteAddress + "\n"
                + "sop-class-uid: " + rq.getAffectedSOPClassUID() + "\n"
                + "sop-instance-uid: " + rq.getAffectedSOPInstanceUID() + "\n"
                + "transfer-syntax-uid: " + receiver.transferSyntaxUid() + "\n"
                + "replay: the .dcm beside this file is a Part 10 file holding the data set bytes as received\n";
    }
}
