package org.radloop.support;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;

/** Reads everything that arrives on one stage queue, as that stage's consumer would, with its JMS priority. */
public final class StageQueueWatcher implements AutoCloseable {

    public record Received(StageMessage message, int priority) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Connection connection;
    private final Session session;

    public StageQueueWatcher(RadLoopEngine engine, Stage stage) throws JMSException {
        connection = engine.broker().connectionFactory().createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(stage.queue()));
        consumer.setMessageListener(m -> {
            try {
                received.add(new Received(StageMessage.fromJson(((TextMessage) m).getText()), m.getJMSPriority()));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        connection.start();
    }

    /** Messages about one record (e.g. a report id). */
    public List<Received> about(String kind, String id) {
        return received.stream().filter(r -> r.message().kind().equals(kind) && r.message().id().equals(id)).toList();
    }

    @Override
    public void close() throws JMSException {
        session.close();
        connection.close();
    }
}
