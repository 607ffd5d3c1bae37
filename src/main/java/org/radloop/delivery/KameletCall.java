package org.radloop.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;

/**
 * Sends a message through one of the sink Kamelets in connectors/ with the channel's parameters, and
 * hands back the exchange or the exception the connector raised. Parameter values are passed RAW so
 * that passwords and paths reach the Kamelet unchanged. The Kamelet runs without Camel's error
 * handler: the delivery stage decides what a failure means (refusal or retry), and the default
 * handler would log every expected failure (a RIS that is down) as an ERROR with a stack trace.
 */
final class KameletCall {

    private final Supplier<CamelContext> camel;
    private volatile ProducerTemplate template;

    KameletCall(Supplier<CamelContext> camel) {
        this.camel = camel;
    }

    /** The Kamelet's URI with these parameters (null values left out, so the Kamelet's default applies). */
    static String uri(String kamelet, Map<String, ?> parameters) {
        StringBuilder sb = new StringBuilder("kamelet:").append(kamelet).append("?noErrorHandler=true");
        for (Map.Entry<String, ?> p : parameters.entrySet()) {
            if (p.getValue() == null) continue;
            sb.append('&').append(p.getKey()).append("=RAW(").append(p.getValue()).append(')');
        }
        return sb.toString();
    }

    static Map<String, Object> parameters() {
        return new LinkedHashMap<>();
    }

    /** Sends and returns the completed exchange; throws what the connector threw. */
    Exchange send(String uri, Object body, Map<String, Object> headers) throws Exception {
        return send(uri, body, headers, null);
    }

    /** Sends, letting {@code prepare} add what body and headers cannot carry (mail attachments). */
    Exchange send(String uri, Object body, Map<String, Object> headers, org.apache.camel.Processor prepare) throws Exception {
        Exchange result = template().send(uri, ExchangePattern.InOut, ex -> {
            ex.getMessage().setBody(body);
            if (headers != null) ex.getMessage().getHeaders().putAll(headers);
            if (prepare != null) prepare.process(ex);
        });
        if (result.getException() != null) throw result.getException();
        return result;
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) template = camel.get().createProducerTemplate();
                t = template;
            }
        }
        return t;
    }
}
