package org.radloop.api;

import java.util.NoSuchElementException;
import org.apache.camel.CamelContext;
import org.radloop.ingest.MessageReplayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An analyst's request to send a stored message through its channel again. The replayer is looked up
 * by name at each call, not at start, so the API works (and says clearly why replay is not possible)
 * whether or not the ingest stage that provides it is running.
 */
final class ReplayRequest {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRequest.class);
    static final String REPLAYER_BEAN = "messageReplayer";

    record Result(long replayOf, long newMessageId, String state, String ackCode, String error) {
    }

    private final CamelContext camel;
    private final MessageSearch messages;

    ReplayRequest(CamelContext camel, MessageSearch messages) {
        this.camel = camel;
        this.messages = messages;
    }

    Result replay(long id) {
        if (!messages.exists(id)) throw ApiProblem.notFound("no message with id " + id);
        MessageReplayer replayer = camel.getRegistry().lookupByNameAndType(REPLAYER_BEAN, MessageReplayer.class);
        if (replayer == null) {
            throw ApiProblem.unavailable("replay is not available: no message replayer ('" + REPLAYER_BEAN
                    + "') is running in this engine");
        }
        MessageReplayer.Outcome outcome;
        try {
            outcome = replayer.replay(id);
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound("no message with id " + id);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ApiProblem(409, "cannot_replay", "message " + id + " cannot be replayed: " + e.getMessage());
        }
        LOG.info("Message {} replayed as message {}: {} (ACK {})", id, outcome.newMessageId(), outcome.state(), outcome.ackCode());
        return new Result(id, outcome.newMessageId(), outcome.state(), outcome.ackCode(), outcome.error());
    }
}
