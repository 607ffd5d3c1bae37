package org.radloop.delivery;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import java.util.List;
import java.util.Map;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * The report PDF as a mail attachment (connectors/email-pdf-sink.kamelet.yaml), over SMTPS (TLS
 * from the first byte, the default) or SMTP with STARTTLS required; plain SMTP only when the channel
 * says {@code security: none}. Delivered means the mail server accepted it; what the mail server
 * does after that is outside RadLoop's view.
 */
final class EmailPdfChannel implements ReportChannel {

    private final KameletCall kamelets;
    private final ReportPdf pdf;

    EmailPdfChannel(KameletCall kamelets, ReportPdf pdf) {
        this.kamelets = kamelets;
        this.pdf = pdf;
    }

    @Override
    public Sent send(ReportForDelivery report, DeliveryChannel channel, Attempt attempt) throws Exception {
        String security = channel.text("security", "tls");
        List<String> to = channel.list("to");
        if (to.isEmpty()) throw new PermanentDeliveryException("email channel '" + channel.name() + "' has no 'to' address");
        Map<String, Object> p = KameletCall.parameters();
        p.put("protocol", security.equals("tls") ? "smtps" : "smtp");
        p.put("host", channel.text("host", null));
        p.put("port", channel.integer("port", security.equals("tls") ? 465 : 587));
        p.put("startTls", security.equals("starttls"));
        p.put("username", channel.text("username", null));
        p.put("password", channel.secret("password"));
        p.put("from", channel.text("from", null));
        p.put("to", String.join(",", to));
        String accession = report.order() == null ? null : report.order().accessionNumber();
        // The subject names the report, so it travels as a header: in the URI, every report would
        // make a Kamelet route of its own.
        String subject = channel.text("subject", "Radiology report") + (accession == null ? "" : " " + accession)
                + (report.status() == ReportForDelivery.Status.CORRECTED ? " (corrected)" : "");
        p.put("sslTrust", channel.text("sslTrust", null));
        p.put("checkServerIdentity", channel.flag("checkServerIdentity", true));
        String fileName = PdfFileName.of(report, attempt);
        byte[] document = pdf.render(report);
        String body = "The signed radiology report" + (accession == null ? "" : " for accession " + accession)
                + " is attached (" + fileName + ").\r\nReference: " + attempt.messageId() + "\r\n";
        try {
            kamelets.send(KameletCall.uri("email-pdf-sink", p), body, Map.of("Content-Type", "text/plain; charset=UTF-8", "Subject", subject), ex ->
                    ex.getMessage(AttachmentMessage.class).addAttachment(fileName,
                            new DataHandler(new ByteArrayDataSource(document, "application/pdf"))));
        } catch (Exception e) {
            String refusal = refusal(e);
            if (refusal != null) throw new PermanentDeliveryException("the mail server refused it: " + refusal, null, e);
            throw e;
        }
        return new Sent(fileName, null);
    }

    /**
     * A refusal the mail server will repeat: wrong credentials, or a permanent (5xx) SMTP reply such
     * as an unknown recipient. A 4xx reply ("try later") and a dead connection are retried.
     */
    static String refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof jakarta.mail.AuthenticationFailedException) return "authentication failed";
            if (t instanceof jakarta.mail.SendFailedException && t.getMessage() != null && t.getMessage().matches("(?s)^5\\d\\d.*")) {
                return t.getMessage().strip();
            }
        }
        return null;
    }
}
