package org.radloop.dicom;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.MultipleInstanceTransferStatusHandlerWithFileName;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.StorageSOPClassSCU;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/**
 * A real DICOM sender that puts a file's bytes on the wire as they are, broken or not (PixelMed's
 * SCU copies the data set after the meta header), in a fixed order on one association. storescu
 * refuses to read broken files, so tests of refusals use this.
 */
public final class PixelmedSender {
    private PixelmedSender() {
    }

    /** Sends each CT file, in order, on one association; returns "ok" or "failed" per file. */
    public static List<String> sendOnOneAssociation(int port, String callingAeTitle, List<Path> files) throws Exception {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, SOPClass.CTImageStorage, TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN));
        Association association = AssociationFactory.createNewAssociation("127.0.0.1", port, "RADLOOP", callingAeTitle,
                contexts, null, false);
        List<String> outcomes = new ArrayList<>();
        try {
            for (Path file : files) {
                SetOfDicomFiles one = new SetOfDicomFiles();
                one.add(file.toFile());
                new StorageSOPClassSCU(association, one, new MultipleInstanceTransferStatusHandlerWithFileName() {
                    @Override
                    public void updateStatus(int remaining, int completed, int failed, int warning, String sop, String name, boolean success) {
                        outcomes.add(success ? "ok" : "failed");
                    }
                });
            }
        } finally {
            association.release();
        }
        return outcomes;
    }
}
