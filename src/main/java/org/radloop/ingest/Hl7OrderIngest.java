package org.radloop.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpConstants;
import org.radloop.engine.RadLoopMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hl7OrderIngest} step of routes/ingest-hl7.yaml: takes the MLLP payload bytes, has the
 * message handled and committed, and puts the ACK it built into {@code CamelMllpAcknowledgementString}
 * for camel-mllp (autoAck=false) to send. It never throws: every failure is an ACK, so the connection
 * keeps serving the sender's next message.
 */
public final class Hl7OrderIngest implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(Hl7OrderIngest.class);

    private final Hl7MessageHandler handler;
    private final RadLoopMetrics metrics;

    Hl7OrderIngest(Hl7MessageHandler handler, RadLoopMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    /** Lets ORU^R01 results in: the reporting stage makes each the signed report of its case. */
    public void acceptResults(Hl7ResultSink sink) {
        handler.acceptResults(sink);
    }

    @Override
    public void process(Exchange exchange) {
        try {
            byte[] payload = exchange.getMessage().getBody(byte[].class);
            if (payload == null) payload = new byte[0];
            Received in = Received.fromBytes(payload, exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class));
            Hl7MessageHandler.Result r = handler.handle(in);
            if (r.ack() != null) {
                // camel-mllp turns the string into bytes with the exchange's charset: the sender's own.
                exchange.setProperty(Exchange.CHARSET_NAME, in.charset().name());
                exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_STRING, r.ack());
            }
            metrics.messageIn(Hl7MessageHandler.CHANNEL, r.facilityId(), r.messageType(), r.ackCode());
            if (r.error() != null) metrics.error(Hl7MessageHandler.CHANNEL, r.facilityId(), String.valueOf(r.error().code().getCode()));
        } catch (RuntimeException e) {
            LOG.error("HL7 message could not be handled", e);
            exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_STRING,
                    "MSH|^~\\&|||||||ACK|ERR|P|2.5.1\rMSA|AR|\rERR||MSH^1|207^Application internal error^HL70357|E\r");
            metrics.error(Hl7MessageHandler.CHANNEL, null, "207");
        }
    }
}
