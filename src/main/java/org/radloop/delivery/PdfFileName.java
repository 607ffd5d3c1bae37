package org.radloop.delivery;

/**
 * The name a report PDF travels under (SFTP file, mail attachment): accession, report version and
 * the delivery's message id, so that a resend replaces nothing silently and a retry overwrites its
 * own earlier partial copy. Only letters, digits, dot, dash and underscore.
 */
final class PdfFileName {

    private PdfFileName() {
    }

    static String of(ReportForDelivery report, Attempt attempt) {
        String accession = report.order() == null || report.order().accessionNumber() == null
                ? "report-" + report.reportId() : report.order().accessionNumber();
        return clean(accession) + "_v" + report.version() + "_" + attempt.messageId() + ".pdf";
    }

    private static String clean(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
