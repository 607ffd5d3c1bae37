package org.radloop.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.FindSOPClassSCU;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.MoveSOPClassSCU;
import com.pixelmed.network.MultipleInstanceTransferStatusHandlerWithFileName;
import com.pixelmed.network.StorageSOPClassSCU;
import com.pixelmed.network.TimedAssociationInitiator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * SCU operations against one remote AE: {@code echo}, {@code store} (the files in header
 * {@code RadLoopDicomFiles} or the body), {@code find} (study root, keys from header
 * {@code RadLoopDicomQuery}; body becomes a {@code List<Map<String,String>>}) and {@code move}.
 */
public class DicomProducer extends DefaultProducer {

    private static final int WARNING_MASK = 0xF000;
    private static final Set<String> UNCOMPRESSED = Set.of(TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN,
            TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, TransferSyntaxes.EXPLICIT_BIG_ENDIAN);

    public DicomProducer(DicomEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public DicomEndpoint getEndpoint() {
        return (DicomEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String operation = exchange.getIn().getHeader(DicomConstants.OPERATION, getEndpoint().getOperation(), String.class);
        switch (operation.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "echo" -> echo(exchange);
            case "store" -> store(exchange);
            case "find" -> find(exchange);
            case "move" -> move(exchange);
            default -> throw new IllegalArgumentException("unknown DICOM operation " + operation + "; use echo, store, find or move");
        }
    }

    private void echo(Exchange exchange) throws Exception {
        DicomEndpoint e = getEndpoint();
        int status = ScuAssociation.run(e, "C-ECHO", SOPClass.Verification, association -> {
            EchoResponse response = new EchoResponse();
            association.setReceivedDataHandler(response);
            association.send(association.getSuitablePresentationContextID(SOPClass.Verification), new CEchoRequestCommandMessage().getBytes(), null);
            association.waitForCommandPDataPDUs();
            return response.getStatus();
        });
        if (status != DicomStatus.SUCCESS) {
            throw new DicomOperationException("C-ECHO to " + ScuAssociation.peer(e) + " answered " + DicomStatus.hex(status));
        }
        exchange.getMessage().setHeader(DicomConstants.STATUS, DicomStatus.SUCCESS);
    }

    /** The C-ECHO-RSP; PixelMed's own handler for it is private to its echo SCU. */
    private static final class EchoResponse extends CompositeResponseHandler {
        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            success = status == DicomStatus.SUCCESS;
        }
    }

    /**
     * Sends one association per transfer syntax: PixelMed's SCU may put an instance on the wrong
     * presentation context when one association carries a SOP class in two transfer syntaxes.
     */
    private void store(Exchange exchange) throws Exception {
        DicomEndpoint e = getEndpoint();
        List<Path> files = filesToSend(exchange);
        Map<String, SetOfDicomFiles> byTransferSyntax = new LinkedHashMap<>();
        for (Path file : files) {
            SetOfDicomFiles probe = new SetOfDicomFiles();
            SetOfDicomFiles.DicomFile described = probe.add(file.toFile());
            if (described == null || described.getTransferSyntaxUID() == null) {
                throw new IOException("not a DICOM Part 10 file: " + file);
            }
            byTransferSyntax.computeIfAbsent(described.getTransferSyntaxUID(), ts -> new SetOfDicomFiles()).add(described);
        }
        List<String> failures = new ArrayList<>();
        int[] completed = {0};
        Exception cause = null;
        for (SetOfDicomFiles batch : byTransferSyntax.values()) {
            List<String> pending = new ArrayList<>();
            for (SetOfDicomFiles.DicomFile f : batch) {
                pending.add(f.getFileName());
            }
            MultipleInstanceTransferStatusHandlerWithFileName progress = new MultipleInstanceTransferStatusHandlerWithFileName() {
                @Override
                public void updateStatus(int remaining, int done, int failed, int warning, String sopInstanceUid, String fileName, boolean success) {
                    pending.remove(fileName);
                    if (success) {
                        completed[0]++;
                    } else {
                        failures.add(fileName);
                    }
                }
            };
            TimedAssociationInitiator association = null;
            boolean silent = false;
            try {
                association = ScuAssociation.open(e, presentationContexts(batch));
                new StorageSOPClassSCU(association, batch, progress);
                if (association.timedOut()) {
                    // PixelMed's storage SCU reports a silent peer only as failed instances
                    silent = true;
                    cause = new DicomOperationException("C-STORE to " + ScuAssociation.peer(e) + ": no answer within "
                            + e.getResponseTimeout() + " ms");
                }
            } catch (Exception associationFailed) {
                silent = ScuAssociation.timedOut(associationFailed);
                cause = ScuAssociation.failure(e, "C-STORE", associationFailed);
            } finally {
                ScuAssociation.close(association, silent);
            }
            failures.addAll(pending); // never reported: the association failed before reaching them
        }
        exchange.getMessage().setHeader(DicomConstants.COMPLETED, completed[0]);
        exchange.getMessage().setHeader(DicomConstants.FAILED, failures.size());
        exchange.getMessage().setHeader(DicomConstants.FAILED_FILES, List.copyOf(failures));
        exchange.getMessage().setHeader(DicomConstants.STATUS, failures.isEmpty() ? DicomStatus.SUCCESS : DicomStatus.OUT_OF_RESOURCES);
        if (!failures.isEmpty()) {
            // A few names, not hundreds: the message ends up in logs and in forwarding task errors.
            String named = failures.size() <= 5 ? failures.toString()
                    : failures.subList(0, 5) + " and " + (failures.size() - 5) + " more";
            throw new DicomOperationException("C-STORE to " + e.getRemoteAeTitle() + " failed for " + failures.size()
                    + " of " + files.size() + " instance(s): " + named, cause);
        }
    }

    /**
     * One context per SOP class, offering the files' own transfer syntax first so a peer that takes
     * it receives the bytes unchanged; explicit VR files also offer the two little endian syntaxes
     * every SCP accepts, and PixelMed converts only if the peer picks one of those.
     */
    private static LinkedList<PresentationContext> presentationContexts(SetOfDicomFiles batch) {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        byte id = 1;
        Set<String> sopClasses = new LinkedHashSet<>();
        String transferSyntax = null;
        for (SetOfDicomFiles.DicomFile f : batch) {
            sopClasses.add(f.getSOPClassUID());
            transferSyntax = f.getTransferSyntaxUID();
        }
        for (String sopClass : sopClasses) {
            LinkedList<String> syntaxes = new LinkedList<>();
            syntaxes.add(transferSyntax);
            // Implicit VR little endian is the default every SCP must accept; offering explicit as
            // well would let a peer that prefers it (Orthanc does) receive a converted copy.
            if (UNCOMPRESSED.contains(transferSyntax) && !TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN.equals(transferSyntax)) {
                for (String fallback : List.of(TransferSyntaxes.EXPLICIT_LITTLE_ENDIAN, TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN)) {
                    if (!syntaxes.contains(fallback)) {
                        syntaxes.add(fallback);
                    }
                }
            }
            contexts.add(new PresentationContext(id, sopClass, syntaxes));
            id += 2;
        }
        return contexts;
    }

    private void find(Exchange exchange) throws Exception {
        List<Map<String, String>> results = new ArrayList<>();
        String sopClass = SOPClass.StudyRootQueryRetrieveInformationModelFind;
        ScuAssociation.run(getEndpoint(), "C-FIND", sopClass, association -> new FindSOPClassSCU(association, sopClass,
                DicomQueryKeys.identifier(query(exchange)), new com.pixelmed.network.IdentifierHandler() {
                    @Override
                    public void doSomethingWithIdentifier(AttributeList identifier) {
                        results.add(DicomQueryKeys.toMap(identifier));
                    }
                }));
        exchange.getMessage().setBody(results);
        exchange.getMessage().setHeader(DicomConstants.STATUS, DicomStatus.SUCCESS);
    }

    private void move(Exchange exchange) throws Exception {
        DicomEndpoint e = getEndpoint();
        String destination = exchange.getIn().getHeader(DicomConstants.MOVE_DESTINATION, e.getMoveDestination(), String.class);
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("C-MOVE needs a destination: option moveDestination or header " + DicomConstants.MOVE_DESTINATION);
        }
        String sopClass = SOPClass.StudyRootQueryRetrieveInformationModelMove;
        int status = ScuAssociation.run(e, "C-MOVE", sopClass, association ->
                new MoveSOPClassSCU(association, destination, sopClass, DicomQueryKeys.identifier(query(exchange))).getStatus());
        exchange.getMessage().setHeader(DicomConstants.STATUS, status);
        if (status != DicomStatus.SUCCESS && (status & WARNING_MASK) != 0xB000) {
            throw new DicomOperationException("C-MOVE to " + destination + " via " + e.getRemoteAeTitle() + " ended with status "
                    + DicomStatus.hex(status));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> query(Exchange exchange) {
        Object q = exchange.getIn().getHeader(DicomConstants.QUERY);
        if (q == null) {
            q = exchange.getIn().getBody();
        }
        if (!(q instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("find/move need the query keys as a Map in header " + DicomConstants.QUERY);
        }
        return (Map<String, Object>) map;
    }

    private static List<Path> filesToSend(Exchange exchange) {
        Object source = exchange.getIn().getHeader(DicomConstants.FILES);
        if (source == null) {
            source = exchange.getIn().getBody();
        }
        List<Path> files = new ArrayList<>();
        collect(source, files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("store needs files: a Path, File, String or a collection of them in header "
                    + DicomConstants.FILES + " or the body");
        }
        return files;
    }

    private static void collect(Object source, List<Path> into) {
        if (source instanceof Path p) {
            into.add(p);
        } else if (source instanceof File f) {
            into.add(f.toPath());
        } else if (source instanceof String s && !s.isBlank()) {
            into.add(Path.of(s.trim()));
        } else if (source instanceof Collection<?> c) {
            for (Object o : c) {
                collect(o, into);
            }
        } else if (source instanceof Object[] a) {
            for (Object o : a) {
                collect(o, into);
            }
        }
    }
}
