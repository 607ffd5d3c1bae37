package org.radloop.dicom;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presentation context negotiation for one association: Verification and every storage SOP class
 * PixelMed knows (images, SR, SEG, PR, KO, encapsulated documents), in any transfer syntax of
 * {@link TransferSyntaxes#ACCEPTED} including implicit VR little endian. Per context the first
 * syntax the sender proposed that we accept wins, so a modality sending JPEG gets JPEG stored, not a
 * decompressed copy. Remembers the accepted abstract syntaxes so a C-STORE can be checked against
 * the context it arrived on (PixelMed does not expose them after negotiation).
 */
final class StoragePresentationContexts implements PresentationContextSelectionPolicy {

    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    private final Map<Byte, String> acceptedAbstractSyntax = new ConcurrentHashMap<>();

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber) {
        for (Object o : contexts) {
            PresentationContext pc = (PresentationContext) o;
            String abstractSyntax = pc.getAbstractSyntaxUID();
            if (!(SOPClass.isStorage(abstractSyntax) || SOPClass.isVerification(abstractSyntax))) {
                pc.setResultReason(ABSTRACT_SYNTAX_NOT_SUPPORTED);
                continue;
            }
            String chosen = null;
            for (Object ts : List.copyOf(pc.getTransferSyntaxUIDs())) {
                if (ts != null && TransferSyntaxes.ACCEPTED.contains(((String) ts).trim())) {
                    chosen = ((String) ts).trim();
                    break;
                }
            }
            pc.newTransferSyntaxUIDs();
            if (chosen == null) {
                pc.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
            } else {
                pc.addTransferSyntaxUID(chosen);
                pc.setResultReason(ACCEPTANCE);
                acceptedAbstractSyntax.put(pc.getIdentifier(), abstractSyntax);
            }
        }
        return contexts;
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, associationNumber);
    }

    /** Abstract syntax (SOP class) negotiated for this presentation context id, or null. */
    String abstractSyntaxOf(byte presentationContextId) {
        return acceptedAbstractSyntax.get(presentationContextId);
    }
}
