package org.radloop.triage;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.radloop.engine.Stage;
import org.radloop.engine.StageMessage;
import org.radloop.engine.StageSender;

/**
 * Reads radloop.route as the next stage would (nothing consumes it in these tests): each
 * {@link #drain()} opens a consumer on the embedded broker, takes every message waiting, in the
 * order the broker hands them out, and closes it again. The consumer has no client-side buffer
 * (consumerWindowSize=0) and is not open between drains, so the order seen is the broker's priority
 * order over everything that was waiting, not the order of arrival.
 */
final class RouteQueue {

    record Received(StageMessage message, int priority, String duplicateId) {
    }

    private final ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://0?consumerWindowSize=0");
    private final List<Received> all = new CopyOnWriteArrayList<>();

    /** Takes every message now waiting; returns them in the order received (and keeps them in {@link #all()}). */
    synchronized List<Received> drain() throws JMSException {
        List<Received> taken = new java.util.ArrayList<>();
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(Stage.ROUTE.queue()));
            c.start();
            for (Message m; (m = consumer.receive(300)) != null; ) {
                taken.add(new Received(StageMessage.fromJson(((TextMessage) m).getText()), m.getJMSPriority(),
                        m.getStringProperty(StageSender.DUPLICATE_ID)));
            }
        }
        all.addAll(taken);
        return taken;
    }

    /** Everything drained so far, in order. */
    List<Received> all() {
        return List.copyOf(all);
    }

    List<Received> forStudy(String studyUid) {
        return all.stream().filter(r -> r.message().id().equals(studyUid)).toList();
    }

    void close() {
        factory.close();
    }
}
