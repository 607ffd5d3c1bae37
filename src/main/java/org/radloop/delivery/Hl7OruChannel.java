package org.radloop.delivery;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpAcknowledgementTimeoutException;
import org.apache.camel.component.mllp.MllpNegativeAcknowledgementException;
import org.radloop.config.FacilityConfig;

/**
 * ORU^R01 over MLLP (connectors/hl7-oru-sink.kamelet.yaml). Delivered only on ACK AA (or CA); AE
 * and AR are refusals (the RIS will refuse the same message again), a missing ACK within
 * {@code ackTimeoutSeconds} or a closed port is retried with backoff.
 */
final class Hl7OruChannel implements ReportChannel {

    static final String MESSAGE_CHANNEL = "hl7";
    private static final String ACK_HEADER = "CamelMllpAcknowledgementString";

    private final KameletCall kamelets;
    private final Clock clock;
    private final OruMessage oru = new OruMessage();

    Hl7OruChannel(KameletCall kamelets, Clock clock) {
        this.kamelets = kamelets;
        this.clock = clock;
    }

    @Override
    public Sent send(ReportForDelivery report, DeliveryChannel channel, Attempt attempt) throws Exception {
        FacilityConfig facility = attempt.facility();
        String version = channel.text("version", facility.hl7() != null && "2.3.1".equals(facility.hl7().version()) ? "2.3.1" : "2.5.1");
        String receivingApplication = channel.text("receivingApplication", first(facility.hl7() == null ? null : facility.hl7().sendingApplications()));
        String receivingFacility = channel.text("receivingFacility", first(facility.hl7() == null ? null : facility.hl7().sendingFacilities()));
        String text;
        try {
            text = oru.build(report, version, attempt.messageId(), receivingApplication, receivingFacility,
                    ZoneId.of(facility.timeZone()), clock.instant());
        } catch (ca.uhn.hl7v2.HL7Exception unbuildable) {
            // The same report would fail the same way on every retry.
            throw new PermanentDeliveryException("cannot build the ORU^R01: " + unbuildable.getMessage(), null, unbuildable);
        }
        attempt.sent(new Attempt.OutboundMessage(MESSAGE_CHANNEL, "ORU^R01", attempt.messageId(), version, text));

        Map<String, Object> p = KameletCall.parameters();
        p.put("host", channel.text("host", null));
        p.put("port", channel.integer("port", 2575));
        p.put("ackTimeout", channel.integer("ackTimeoutSeconds", 30) * 1000);
        p.put("connectTimeout", channel.integer("connectTimeoutSeconds", 10) * 1000);
        try {
            Exchange ex = kamelets.send(KameletCall.uri("hl7-oru-sink", p), text, null);
            String ack = ex.getMessage().getHeader(ACK_HEADER, String.class);
            return new Sent(attempt.messageId(), ackCode(ack, "AA"));
        } catch (MllpNegativeAcknowledgementException refused) {
            String ack = refused.getHl7AcknowledgementBytes() == null ? null
                    : new String(refused.getHl7AcknowledgementBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String code = ackCode(ack, "AE");
            throw new PermanentDeliveryException("the RIS answered " + code + reason(ack), code, refused);
        } catch (MllpAcknowledgementTimeoutException silent) {
            throw new java.io.IOException("no ACK within " + channel.integer("ackTimeoutSeconds", 30) + " s", silent);
        }
    }

    /** MSA-1 of an ACK, or the fallback when it cannot be read. */
    static String ackCode(String ack, String fallback) {
        String msa = segment(ack, "MSA");
        if (msa == null) return fallback;
        String[] f = msa.split("\\|", -1);
        return f.length > 1 && !f[1].isBlank() ? f[1] : fallback;
    }

    /** The ERR or MSA-3 text of a refusal, for the analyst (the RIS's words, e.g. "unknown order"). */
    private static String reason(String ack) {
        String msa = segment(ack, "MSA");
        String[] f = msa == null ? new String[0] : msa.split("\\|", -1);
        if (f.length > 3 && !f[3].isBlank()) return ": " + f[3];
        String err = segment(ack, "ERR");
        return err == null ? "" : ": " + err;
    }

    private static String segment(String message, String name) {
        if (message == null) return null;
        for (String s : message.split("[\r\n]+")) {
            if (s.startsWith(name + "|")) return s;
        }
        return null;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
