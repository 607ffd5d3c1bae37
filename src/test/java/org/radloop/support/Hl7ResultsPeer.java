package org.radloop.support;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A RIS that receives results: HAPI's own MLLP server (hapi-base {@link HL7Service}), which parses
 * every ORU^R01 with HAPI's default validation and answers AA, AE ("unknown order"), or nothing at
 * all (it holds the message until it is closed). What it received is kept, as text.
 */
public final class Hl7ResultsPeer implements AutoCloseable {

    public enum Answer { AA, AE, NOTHING }

    private final HapiContext context = new DefaultHapiContext();
    private final HL7Service server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final int port;

    private Hl7ResultsPeer(int port, Answer answer) throws InterruptedException {
        this.port = port;
        // ACK control ids from memory, not from HAPI's default "id_file" in the working folder
        context.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator());
        server = context.newServer(port, false);
        server.registerApplication("ORU", "R01", new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                try {
                    received.add(message.encode());
                    return switch (answer) {
                        case AA -> message.generateACK();
                        case AE -> message.generateACK(AcknowledgmentCode.AE, new HL7Exception("unknown order"));
                        case NOTHING -> {
                            closing.await(60, TimeUnit.SECONDS);
                            throw new HL7Exception("closed without answering");
                        }
                    };
                } catch (java.io.IOException | InterruptedException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        server.startAndWait();
    }

    public static Hl7ResultsPeer start(int port, Answer answer) throws InterruptedException {
        return new Hl7ResultsPeer(port, answer);
    }

    public int port() {
        return port;
    }

    /** Every message received, ER7 text, in arrival order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        closing.countDown();
        server.stopAndWait();
        context.close();
    }
}
