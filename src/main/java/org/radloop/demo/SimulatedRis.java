package org.radloop.demo;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A facility's RIS, simulated with HAPI: it sends ORM^O01 orders to RadLoop over MLLP and, as the
 * facility's hl7-oru delivery channel, receives the ORU^R01 results back (HAPI's own MLLP server,
 * answering AA). What it received is counted per accession (OBR-18, else OBR-3).
 */
final class SimulatedRis implements AutoCloseable {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final DemoFacility facility;
    private final HapiContext hapi = new DefaultHapiContext();
    private final HL7Service server;
    private final Map<String, Instant> resultsReceived = new ConcurrentHashMap<>();
    private final AtomicLong controlIds = new AtomicLong();
    private Connection toRadLoop;

    SimulatedRis(DemoFacility facility) throws InterruptedException {
        this.facility = facility;
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator());
        server = hapi.newServer(facility.oruPort(), false);
        server.registerApplication("ORU", "R01", new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                Terser t = new Terser(message);
                String accession = t.get("/.OBR-18");
                if (accession == null || accession.isBlank()) accession = t.get("/.OBR-3-1");
                if (accession != null) resultsReceived.putIfAbsent(accession, Instant.now());
                try {
                    return message.generateACK();
                } catch (java.io.IOException e) {
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

    /**
     * Sends a new order (ORC-1 NW) for a synthetic patient and returns the ACK code (MSA-1).
     * {@code priority} is ORC-7.6 / TQ1 priority: S (stat), A (asap), R (routine).
     */
    String sendOrder(String host, int port, DemoStudy study) throws Exception {
        synchronized (this) {
            if (toRadLoop == null || !toRadLoop.isOpen()) toRadLoop = hapi.newClient(host, port, false);
        }
        String now = TS.format(Instant.now());
        String placer = study.placer();
        String text = "MSH|^~\\&|" + facility.sendingApplication() + "|" + facility.sendingFacility() + "|RADLOOP|RADLOOP|" + now
                + "||ORM^O01^ORM_O01|" + facility.id() + "-" + controlIds.incrementAndGet() + "-" + System.nanoTime() + "|P|2.5.1\r"
                + "PID|1||" + study.patientId() + "^^^" + facility.sendingFacility() + "^MR||DEMO^PATIENT" + study.number()
                + "||19700101|" + (study.number() % 2 == 0 ? "F" : "M") + "\r"
                + "PV1|1|" + (study.priority().equals("S") ? "E" : "O") + "|RAD^1^01^" + facility.sendingFacility() + "\r"
                + "ORC|NW|" + placer + "^" + facility.sendingApplication() + "|F" + placer + "^RADLOOP||SC||^^^" + now + "^^"
                + study.priority() + "||" + now + "|||1234^HOUSE^GREGORY\r"
                + "OBR|1|" + placer + "^" + facility.sendingApplication() + "|F" + placer + "^RADLOOP|" + study.kind().code()
                + "^" + study.kind().description() + "^L|||" + now + "|||||||||1234^HOUSE^GREGORY||" + study.accession()
                + "|||||||||||||" + study.reasonForExam() + "\r";
        Message reply;
        synchronized (this) {
            reply = toRadLoop.getInitiator().sendAndReceive(hapi.getPipeParser().parse(text));
        }
        return new Terser(reply).get("/MSA-1");
    }

    DemoFacility facility() {
        return facility;
    }

    /** When the result for the accession came back, or null. */
    Instant resultReceived(String accession) {
        return resultsReceived.get(accession);
    }

    int resultsReceived() {
        return resultsReceived.size();
    }

    /**
     * Whether the ORU listener really holds its port. HAPI binds in a thread of its own and only logs
     * a bind failure, so a port taken by another process between choosing and binding it would leave
     * the facility without a RIS; the demo asks, and chooses another port.
     */
    boolean listening() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!server.isRunning()) return false;
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", facility.oruPort()), 200);
                return true;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        if (toRadLoop != null) toRadLoop.close();
        server.stopAndWait();
        hapi.close();
    }
}
