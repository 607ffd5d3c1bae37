package org.radloop.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Receives one DIMSE request (C-ECHO-RQ or C-STORE-RQ with its data set) from PixelMed's P-DATA
 * loop. Unlike PixelMed's own SCP handler it does not answer by itself: the data set is streamed to
 * an {@link IncomingFile} and the caller decides the response status after checking, storing and
 * routing. Extends PixelMed's public CompositeResponseHandler only because the base class of P-DATA
 * handlers has no public constructor.
 */
final class DimseRequestReceiver extends CompositeResponseHandler {
    private static final int C_STORE_RQ = 0x0001;
    private static final int C_ECHO_RQ = 0x0030;
    private static final int NO_DATA_SET = 0x0101;

    private final Path incomingDir;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream(256);
    private byte presentationContextId;
    private CEchoRequestCommandMessage echo;
    private CStoreRequestCommandMessage store;
    private String transferSyntaxUid;
    private IncomingFile incoming;
    private IOException writeFailure;
    private boolean complete;

    DimseRequestReceiver(Path incomingDir) {
        this.incomingDir = incomingDir;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdu, Association association) throws DicomNetworkException, DicomException, IOException {
        for (Object o : pdu.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) o;
            presentationContextId = pdv.getPresentationContextID();
            if (pdv.isCommand()) {
                command.write(pdv.getValue());
                if (pdv.isLastFragment()) {
                    commandComplete(association);
                }
            } else {
                if (store == null) {
                    throw new DicomNetworkException("data set received without a C-STORE request");
                }
                dataFragment(pdv.getValue(), association);
                if (pdv.isLastFragment()) {
                    dataComplete();
                }
            }
        }
    }

    private void commandComplete(Association association) throws DicomNetworkException, DicomException, IOException {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(command.toByteArray()), TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN, false));
        int field = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandField, 0xFFFF);
        if (field == C_ECHO_RQ) {
            echo = new CEchoRequestCommandMessage(list);
            finished();
        } else if (field == C_STORE_RQ) {
            store = new CStoreRequestCommandMessage(list);
            transferSyntaxUid = association.getTransferSyntaxForPresentationContextID(presentationContextId);
            if (Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandDataSetType, 0) == NO_DATA_SET) {
                finished();
            }
        } else {
            throw new DicomNetworkException(String.format("unsupported DIMSE command 0x%04X", field));
        }
    }

    private void dataFragment(byte[] value, Association association) {
        if (writeFailure != null) {
            return; // keep reading the rest of the instance so the association stays in step
        }
        try {
            if (incoming == null) {
                incoming = new IncomingFile(incomingDir, Part10.metaHeader(store.getAffectedSOPClassUID(),
                        store.getAffectedSOPInstanceUID(), transferSyntaxUid, association.getCallingAETitle()));
            }
            incoming.append(value);
        } catch (IOException e) {
            failWrite(e);
        }
    }

    private void dataComplete() {
        if (incoming != null && writeFailure == null) {
            try {
                incoming.finish();
            } catch (IOException e) {
                failWrite(e);
            }
        }
        finished();
    }

    private void failWrite(IOException e) {
        writeFailure = e;
        if (incoming != null) {
            incoming.discard();
            incoming = null;
        }
    }

    private void finished() {
        complete = true;
        setDone(true);
        setRelease(false);
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // only used by PixelMed's SCU-side responses, never for requests
    }

    boolean isComplete() {
        return complete;
    }

    byte presentationContextId() {
        return presentationContextId;
    }

    CEchoRequestCommandMessage echo() {
        return echo;
    }

    CStoreRequestCommandMessage store() {
        return store;
    }

    String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /** The complete, fsync'd file, or null when nothing could be written. */
    IncomingFile incoming() {
        return incoming;
    }

    IOException writeFailure() {
        return writeFailure;
    }

    /** Drops the partial file when the association breaks mid-instance. */
    void abandon() {
        if (incoming != null && !complete) {
            incoming.discard();
            incoming = null;
        }
    }
}
