package org.radloop.ingest;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.radloop.engine.RadLoopEngine;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;

/** Reads everything that arrives on radloop.triage, as the triage stage would, and files it by study UID. */
final class TriageQueueWatcher implements AutoCloseable {

    record Received(StageMessage message, int priority) {
    }

    private final Map<String, List<Received>> byStudy = new ConcurrentHashMap<>();
    private final Connection connection;
    private final Session session;

    TriageQueueWatcher(RadLoopEngine engine) throws JMSException {
        connection = engine.broker().connectionFactory().createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(Stage.TRIAGE.queue()));
        consumer.setMessageListener(m -> {
            try {
                StageMessage sm = StageMessage.fromJson(((TextMessage) m).getText());
                byStudy.computeIfAbsent(sm.id(), k -> new CopyOnWriteArrayList<>()).add(new Received(sm, m.getJMSPriority()));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        connection.start();
    }

    List<Received> forStudy(String studyUid) {
        return byStudy.getOrDefault(studyUid, List.of());
    }

    @Override
    public void close() throws JMSException {
        session.close();
        connection.close();
    }
}
