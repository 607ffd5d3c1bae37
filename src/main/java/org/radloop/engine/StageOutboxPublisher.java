package org.radloop.engine;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Service;
import org.radloop.model.StageOutboxEntry;
import org.radloop.model.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed stage messages from the outbox ({@code stage_outbox}) onto their queues.
 *
 * <p>Why not send from the MLLP thread before the ACK: the order is already durable in the database
 * when it is acknowledged, and its outbox row commits with it. Sending here, in batches inside one
 * JMS transaction (one journal sync per batch instead of one per message), keeps the broker off the
 * path every sender waits on. The row is deleted only after the broker committed the message.
 *
 * <p>Crash window: a process killed after the database commit but before the send (or before the
 * delete) leaves the row behind; {@link #start()} reads every remaining row and sends it again. A
 * message may therefore arrive twice, never zero times; stage consumers are idempotent by design.
 * Each message is persistent and carries the order's clinical urgency as its JMS priority.
 */
public final class StageOutboxPublisher implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(StageOutboxPublisher.class);
    private static final int BATCH = 500;
    private static final long LINGER_MS = 25;

    private final Store store;
    private final ConnectionFactory connections;
    private final LinkedBlockingQueue<StageOutboxEntry> pending = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread worker;

    public StageOutboxPublisher(Store store, ConnectionFactory connections) {
        this.store = store;
        this.connections = connections;
    }

    /** Hands over entries whose transaction has committed (any stage's queue: routing and reporting use it too). */
    public void publish(Collection<StageOutboxEntry> committed) {
        if (!committed.isEmpty()) pending.addAll(committed);
    }

    /** Entries waiting to be sent in this process (not counting rows a crash left for the next start). */
    public int backlog() {
        return pending.size();
    }

    @Override
    public synchronized void start() {
        if (running) return;
        List<StageOutboxEntry> left = store.fromTransaction(s ->
                s.createSelectionQuery("from StageOutboxEntry e order by e.id", StageOutboxEntry.class).getResultList());
        if (!left.isEmpty()) LOG.info("Re-sending {} stage message(s) committed before the last stop", left.size());
        pending.addAll(left);
        running = true;
        worker = new Thread(this::run, "radloop-outbox-publisher");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (worker == null) return;
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker = null;
    }

    private void run() {
        List<StageOutboxEntry> batch = new ArrayList<>(BATCH);
        long backoffMs = 100;
        Connection connection = null;
        Session session = null;
        while (running || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    StageOutboxEntry first = pending.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    // Let a batch gather: each send costs a journal sync and each delete a database
                    // commit, which would otherwise compete with the commits senders wait for.
                    if (pending.size() < BATCH - 1) Thread.sleep(LINGER_MS);
                    pending.drainTo(batch, BATCH - 1);
                }
                if (session == null) {
                    connection = connections.createConnection();
                    session = connection.createSession(true, Session.SESSION_TRANSACTED);
                }
                send(session, batch);
                List<Long> ids = new ArrayList<>(batch.size());
                for (StageOutboxEntry e : batch) ids.add(e.getId());
                // not synced: a delete lost in a power cut only sends these messages again at the next start
                store.inTransactionRepeatable(s -> s.createMutationQuery("delete from StageOutboxEntry e where e.id in (:ids)")
                        .setParameterList("ids", ids).executeUpdate());
                batch.clear();
                backoffMs = 100;
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (Exception e) {
                if (!running) break; // the rows stay in the outbox and are sent at the next start
                LOG.warn("Could not put {} stage message(s) on their queue, retrying in {} ms: {}", batch.size(), backoffMs, e.toString());
                close(connection);
                connection = null;
                session = null;
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
        close(connection);
    }

    private static void send(Session session, List<StageOutboxEntry> batch) throws JMSException {
        try {
            MessageProducer producer = null;
            String queue = null;
            for (StageOutboxEntry e : batch) {
                if (producer == null || !e.getQueue().equals(queue)) {
                    if (producer != null) producer.close();
                    queue = e.getQueue();
                    producer = session.createProducer(session.createQueue(queue));
                }
                TextMessage m = session.createTextMessage(new StageMessage(e.getKind(), e.getEntityId(), e.getFacilityId(), e.getEvent()).toJson());
                m.setStringProperty("kind", e.getKind());
                m.setStringProperty("facility", e.getFacilityId());
                m.setStringProperty("event", e.getEvent());
                producer.send(m, DeliveryMode.PERSISTENT, e.getPriority(), 0);
            }
            if (producer != null) producer.close();
            session.commit();
        } catch (JMSException | RuntimeException ex) {
            try {
                session.rollback();
            } catch (JMSException ignored) {
                // the session is replaced by the caller
            }
            throw ex;
        }
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (JMSException ignored) {
            // nothing left to release
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
