package org.radloop.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import org.radloop.model.MessageRecord;
import org.radloop.model.Store;

/**
 * Replays a stored inbound HL7 message through exactly the processing live traffic gets. The new
 * record points at the original (replay_of_id); when the replay is accepted, the original, if it was
 * refused, becomes REPLAYED. Replaying an accepted message is harmless: it is a duplicate.
 */
public final class Hl7MessageReplayer implements MessageReplayer {

    private final Store store;
    private final Hl7MessageHandler handler;

    Hl7MessageReplayer(Store store, Hl7MessageHandler handler) {
        this.store = store;
        this.handler = handler;
    }

    @Override
    public Outcome replay(long messageRecordId) {
        MessageRecord original = store.fromTransaction(s -> s.find(MessageRecord.class, messageRecordId));
        if (original == null) throw new NoSuchElementException("No stored message " + messageRecordId);
        if (original.getDirection() != MessageRecord.Direction.IN || !Hl7MessageHandler.CHANNEL.equals(original.getChannel())) {
            throw new IllegalArgumentException("Message " + messageRecordId + " is not an inbound HL7 message");
        }
        Charset charset = StandardCharsets.UTF_8;
        if (original.getCharset() != null && Charset.isSupported(original.getCharset())) charset = Charset.forName(original.getCharset());
        String text = original.getRawPayload() == null ? "" : original.getRawPayload();
        Hl7MessageHandler.Result r = handler.handle(new Received(text, charset, original.getSizeBytes(), "replay", messageRecordId));
        return new Outcome(r.recordId(), r.state().name(), r.ackCode(), r.error() == null ? null : r.error().getMessage());
    }
}
