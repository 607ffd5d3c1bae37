package org.radloop.delivery;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The report as a FHIR R4 transaction (see {@link FhirReportBundle}) to the facility's FHIR server
 * (connectors/fhir-report-sink.kamelet.yaml). Delivered when the server answers the transaction
 * (2xx for every entry); a 4xx answer is a refusal (except 408 and 429, which mean "later"); 5xx
 * and no answer are retried.
 */
final class FhirChannel implements ReportChannel {

    static final String MESSAGE_CHANNEL = "fhir";
    private static final FhirContext R4 = FhirContext.forR4Cached();

    private final KameletCall kamelets;
    private final ReportPdf pdf;

    FhirChannel(KameletCall kamelets, ReportPdf pdf) {
        this.kamelets = kamelets;
        this.pdf = pdf;
    }

    @Override
    public Sent send(ReportForDelivery report, DeliveryChannel channel, Attempt attempt) throws Exception {
        Bundle bundle = FhirReportBundle.build(report, pdf.render(report), FhirReportBundle.Systems.of(channel, report));
        String json = R4.newJsonParser().encodeResourceToString(bundle);
        // The PDF is base64 inside the bundle; the message log keeps the bundle without it.
        attempt.sent(new Attempt.OutboundMessage(MESSAGE_CHANNEL, "Bundle/transaction", attempt.messageId(), "R4",
                R4.newJsonParser().encodeResourceToString(withoutPdf(bundle))));
        Map<String, Object> p = KameletCall.parameters();
        p.put("serverUrl", channel.text("serverUrl", null));
        p.put("username", channel.text("username", null));
        p.put("password", channel.secret("password"));
        p.put("accessToken", channel.secret("accessToken"));
        p.put("connectTimeout", channel.integer("connectTimeoutSeconds", 10) * 1000);
        p.put("socketTimeout", channel.integer("socketTimeoutSeconds", 60) * 1000);
        try {
            Exchange ex = kamelets.send(KameletCall.uri("fhir-report-sink", p), R4.newJsonParser().parseResource(Bundle.class, json), null);
            Bundle response = ex.getMessage().getBody(Bundle.class);
            return new Sent(reportLocation(response), null);
        } catch (Exception e) {
            BaseServerResponseException answer = find(e, BaseServerResponseException.class);
            if (answer != null && answer.getStatusCode() >= 400 && answer.getStatusCode() < 500
                    && answer.getStatusCode() != 408 && answer.getStatusCode() != 429) {
                throw new PermanentDeliveryException("the FHIR server answered " + answer.getStatusCode() + ": " + answer.getMessage(),
                        Integer.toString(answer.getStatusCode()), e);
            }
            throw e;
        }
    }

    /** The DiagnosticReport's location (the last entry of the transaction response), e.g. DiagnosticReport/12/_history/1. */
    private static String reportLocation(Bundle response) {
        if (response == null || response.getEntry().isEmpty()) return null;
        Bundle.BundleEntryComponent last = response.getEntry().get(response.getEntry().size() - 1);
        return last.hasResponse() ? last.getResponse().getLocation() : null;
    }

    private static Bundle withoutPdf(Bundle bundle) {
        Bundle copy = bundle.copy();
        for (Bundle.BundleEntryComponent e : copy.getEntry()) {
            if (e.getResource() instanceof org.hl7.fhir.r4.model.DiagnosticReport dr) {
                dr.getPresentedForm().forEach(a -> a.setData(null).setSize(0).setUrl("omitted: the PDF as delivered"));
            }
        }
        return copy;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
            if (t.getCause() == t) break;
        }
        return null;
    }
}
