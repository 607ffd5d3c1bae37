package org.radloop.ingest;

/**
 * Sends a stored inbound message through its channel's processing again, as if it had just
 * arrived: how an analyst recovers a message that was refused before a mapping was fixed.
 */
public interface MessageReplayer {

    /** What a replay did: the new record it produced, its state, and the ACK code it would have been given. */
    record Outcome(long newMessageId, String state, String ackCode, String error) {
    }

    /** @throws java.util.NoSuchElementException when no stored message has this id */
    Outcome replay(long messageRecordId);
}
