package org.radloop.engine;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.radloop.config.RadLoopSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The queues between the stages: an embedded Artemis broker with its journal under the data folder,
 * or an external broker when {@code radloop.broker.url} is set.
 *
 * <p>The embedded broker must be started before Camel and stopped after it, or Camel's consumers
 * spin on a dead connection during shutdown.
 */
public final class MessageBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageBroker.class);

    private final RadLoopSettings settings;
    private EmbeddedActiveMQ embedded;
    private CachingConnectionFactory connectionFactory;

    public MessageBroker(RadLoopSettings settings) {
        this.settings = settings;
    }

    public boolean isEmbedded() {
        return settings.get("radloop.broker.url", null) == null;
    }

    public void start() throws Exception {
        String url = settings.get("radloop.broker.url", null);
        ActiveMQConnectionFactory factory;
        if (url == null) {
            embedded = new EmbeddedActiveMQ();
            embedded.setConfiguration(embeddedConfiguration(settings.dataDir().resolve("broker")));
            embedded.start();
            factory = new ActiveMQConnectionFactory("vm://0");
            LOG.info("Embedded Artemis started, journal in {}", settings.dataDir().resolve("broker"));
        } else {
            factory = new ActiveMQConnectionFactory(url,
                    settings.get("radloop.broker.user", null), settings.get("radloop.broker.password", null));
            LOG.info("Using external broker {}", url);
        }
        // No client-side prefetch: each stage listener keeps its consumer (local JMS transactions, see
        // RadLoopEngine.stageQueues), and a consumer that buffered waiting messages would hold them
        // while its thread works on a slow one, so a critical study could wait behind routine work
        // although the stage's other listener is idle. With a window of 0 the broker hands a message
        // to whichever listener asks next, in priority order.
        factory.setConsumerWindowSize(0);
        connectionFactory = new CachingConnectionFactory(factory);
        connectionFactory.setSessionCacheSize(settings.getInt("radloop.hl7.max.connections", 64) + 16);
        connectionFactory.setCacheProducers(true);
        // Never cache consumers: a cached consumer that is back in the pool still holds the messages
        // Artemis pre-fetched into it, and no one reads them until that session is reused, so a stage
        // with several consumers stalled for seconds at a time (seen as 10-15 s gaps between a
        // message's send and its processing). Camel's listener containers keep their own consumers.
        connectionFactory.setCacheConsumers(false);
    }

    private Configuration embeddedConfiguration(Path dir) throws Exception {
        int bufferTimeout = settings.getInt("radloop.broker.journal.buffer.timeout.ns", 270_000);
        Configuration cfg = new ConfigurationImpl()
                .setName("radloop")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setJournalBufferTimeout_NIO(bufferTimeout)
                .setJournalBufferTimeout_AIO(bufferTimeout)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setGracefulShutdownEnabled(true)
                .addAcceptorConfiguration("in-vm", "vm://0");
        for (Stage stage : Stage.values()) {
            cfg.addAddressSetting(stage.queue(), stageAddressSettings(stage));
            cfg.addQueueConfiguration(QueueConfiguration.of(stage.queue())
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
            cfg.addQueueConfiguration(QueueConfiguration.of(stage.deadLetterQueue())
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        return cfg;
    }

    AddressSettings stageAddressSettings(Stage stage) {
        return new AddressSettings()
                .setRedeliveryDelay(settings.getLong("radloop.queue.redelivery.delay.ms", 1000))
                .setRedeliveryMultiplier(Double.parseDouble(settings.get("radloop.queue.redelivery.multiplier", "2.0")))
                .setMaxRedeliveryDelay(settings.getLong("radloop.queue.redelivery.max.delay.ms", 60_000))
                .setMaxDeliveryAttempts(settings.getInt("radloop.queue.max.delivery.attempts", 6))
                .setDeadLetterAddress(SimpleString.of(stage.deadLetterQueue()))
                .setAutoCreateDeadLetterResources(false);
    }

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /** Messages waiting on a queue of the embedded broker; -1 when the broker is external or the queue unknown. */
    public long depth(String queueName) {
        if (embedded == null) return -1;
        Queue q = embedded.getActiveMQServer().locateQueue(SimpleString.of(queueName));
        return q == null ? -1 : q.getMessageCount();
    }

    /** Whether the broker answers: the embedded one is active, or an external one accepts a connection. */
    public String problem() {
        if (embedded != null) {
            return embedded.getActiveMQServer().isActive() ? null : "embedded broker is not active";
        }
        try (var c = connectionFactory.createConnection()) {
            return null;
        } catch (Exception e) {
            return "external broker unreachable: " + e.getMessage();
        }
    }

    @Override
    public void close() throws Exception {
        if (connectionFactory != null) connectionFactory.destroy();
        if (embedded != null) {
            embedded.stop();
            embedded = null;
        }
    }
}
