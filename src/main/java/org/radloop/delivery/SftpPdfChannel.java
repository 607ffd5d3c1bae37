package org.radloop.delivery;

import java.util.Map;

/**
 * The report PDF to a folder on the facility's SFTP server (connectors/sftp-pdf-sink.kamelet.yaml).
 * Written under a temporary name and renamed when complete, so the facility's pickup job never sees
 * half a file; a retry overwrites its own earlier copy. A refused login is a refusal (retrying a
 * wrong password can lock the account); anything else (server down, no permission on the folder)
 * is retried up to the channel's retry limit.
 */
final class SftpPdfChannel implements ReportChannel {

    private final KameletCall kamelets;
    private final ReportPdf pdf;

    SftpPdfChannel(KameletCall kamelets, ReportPdf pdf) {
        this.kamelets = kamelets;
        this.pdf = pdf;
    }

    @Override
    public Sent send(ReportForDelivery report, DeliveryChannel channel, Attempt attempt) throws Exception {
        String fileName = PdfFileName.of(report, attempt);
        Map<String, Object> p = KameletCall.parameters();
        p.put("host", channel.text("host", null));
        p.put("port", channel.integer("port", 22));
        p.put("username", channel.text("username", null));
        p.put("password", channel.secret("password"));
        p.put("privateKeyFile", channel.text("privateKeyFile", null));
        p.put("directory", channel.text("directory", "."));
        p.put("knownHostsFile", channel.text("knownHostsFile", null));
        p.put("strictHostKeyChecking", channel.flag("strictHostKeyChecking", true) ? "yes" : "no");
        p.put("useUserKnownHostsFile", channel.flag("useUserKnownHostsFile", true));
        p.put("connectTimeout", channel.integer("connectTimeoutSeconds", 10) * 1000);
        try {
            kamelets.send(KameletCall.uri("sftp-pdf-sink", p), pdf.render(report), Map.of("CamelFileName", fileName));
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getMessage() != null && t.getMessage().contains("Auth fail")) {
                    throw new PermanentDeliveryException("the SFTP server refused the login for " + channel.text("username", "?"), null, e);
                }
            }
            throw e;
        }
        return new Sent(channel.text("directory", ".") + "/" + fileName, null);
    }
}
