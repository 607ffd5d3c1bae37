package org.radloop.engine;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Sends one {@link StageMessage} to the next stage's queue, persistent, with its JMS priority and an
 * Artemis duplicate-detection id, on a session of its own that is NOT part of the calling route's
 * JMS transaction.
 *
 * <p>Why not a {@code to:} in the transacted route: a stage that already did its work sends again
 * when its input is redelivered, and relies on the broker to drop the repeat by its duplicate id.
 * Inside a transaction Artemis does not drop a duplicate quietly: it rolls the whole transaction
 * back, acknowledgement of the input included, and the input would be redelivered until it lands
 * on the dead-letter queue. Outside it, the repeat is simply ignored. Sent after the stage's
 * database commit and before the input's acknowledgement, so a crash between any two steps ends
 * in a redelivery that changes nothing and sends nothing new.
 */
public final class StageSender {

    /** Artemis duplicate detection (org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID). */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final ConnectionFactory connectionFactory;

    public StageSender(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /**
     * @param duplicateId the same for every send of the same fact (e.g. one study's one completion)
     * @throws IllegalStateException when the broker does not take it: the caller's input is redelivered
     */
    public void send(Stage to, StageMessage message, int jmsPriority, String duplicateId) {
        // The engine's connection factory caches the connection and sessions: this is cheap per call.
        try (Connection c = connectionFactory.createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createQueue(to.queue()))) {
            TextMessage m = s.createTextMessage(message.toJson());
            m.setStringProperty(DUPLICATE_ID, duplicateId);
            p.send(m, DeliveryMode.PERSISTENT, Math.max(0, Math.min(9, jmsPriority)), 0);
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot send " + message.kind() + "/" + message.event() + " to "
                    + to.queue() + ": " + e.getMessage(), e);
        }
    }
}
