package org.radloop.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.radloop.config.RadLoopSettings;
import org.radloop.model.CriticalNotification;

/**
 * Sends one notification by its channel: email over SMTP (camel-mail) or a JSON POST to the
 * facility's SMS/pager gateway through the {@code webhook-sink} Kamelet ({@code connectors/}). Used
 * by critical results ({@link CriticalNotificationSender}) and by routing's on-call pages ({@link OnCallPager}).
 * A send that throws counts as not delivered; the caller records it and tries again later. Both go
 * through {@link KameletCall}, as report deliveries do: one producer, failures thrown to the caller.
 */
final class NotificationChannels {

    static final String EMAIL = "email";
    static final String SMS = "sms";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KameletCall camel;
    private final RadLoopSettings settings;

    NotificationChannels(KameletCall camel, RadLoopSettings settings) {
        this.camel = camel;
        this.settings = settings;
    }

    void send(CriticalNotification n, FacilityDirectory dir, NotificationText text) throws Exception {
        send(n.getChannel(), n.getAddress(), "radloop-critical-" + n.getCriticalResultId() + "-" + n.getId(), dir, text);
    }

    /**
     * Sends one message to one address by one channel (critical results and on-call pages alike).
     *
     * @param reference what the SMS gateway is given to tell messages apart (no patient data)
     */
    void send(String channel, String address, String reference, FacilityDirectory dir, NotificationText text) throws Exception {
        switch (channel) {
            case EMAIL -> email(address, dir, text);
            case SMS -> sms(address, reference, dir, text);
            default -> throw new IllegalStateException("unknown channel " + channel);
        }
    }

    private void email(String address, FacilityDirectory dir, NotificationText text) throws Exception {
        String host = settings.get("radloop.mail.smtp.host", null);
        if (host == null) throw new IllegalStateException("no SMTP server configured (radloop.mail.smtp.host)");
        StringBuilder uri = new StringBuilder(settings.getBoolean("radloop.mail.smtp.ssl", false) ? "smtps://" : "smtp://")
                .append(host).append(':').append(settings.getInt("radloop.mail.smtp.port", 25))
                .append("?connectionTimeout=").append(settings.getInt("radloop.mail.smtp.timeout.ms", 10000));
        String user = settings.get("radloop.mail.smtp.user", null);
        if (user != null) {
            uri.append("&username=RAW(").append(user).append(")&password=RAW(")
                    .append(settings.get("radloop.mail.smtp.password", "")).append(')');
        }
        if (settings.getBoolean("radloop.mail.smtp.starttls", false)) {
            uri.append("&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true");
        }
        String from = dir.emailFrom() != null ? dir.emailFrom() : settings.get("radloop.mail.from", "radloop@localhost");
        // Only these headers: camel-mail turns every exchange header into a mail header.
        camel.send(uri.toString(), text.body(), Map.of("To", address, "From", from, "Subject", text.subject(),
                "Content-Type", "text/plain; charset=UTF-8"));
    }

    private void sms(String address, String reference, FacilityDirectory dir, NotificationText text) throws Exception {
        if (dir.smsWebhookUrl() == null) throw new IllegalStateException("no SMS gateway configured for " + dir.facility());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("to", address);
        payload.put("message", text.sms());
        payload.put("reference", reference);
        Map<String, Object> p = KameletCall.parameters();
        p.put("url", dir.smsWebhookUrl());
        camel.send(KameletCall.uri("webhook-sink", p), JSON.writeValueAsString(payload), null);
    }
}
