package org.radloop.delivery;

import java.time.Clock;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RadLoopSettings;
import org.radloop.model.Store;

/**
 * The critical-results part of delivery, wired once per engine: configuration, channels, sender,
 * escalation, the QC stage's entry point and acknowledgement.
 */
public final class CriticalResults {

    private final CriticalResultsConfig config;
    private final CriticalResultNotifier notifier;
    private final CriticalResultEscalation escalation;
    private final CriticalResultAcknowledgement acknowledgement;
    private final CriticalResultTimeline timeline;
    private final OnCallPager onCall;

    public CriticalResults(RadLoopSettings settings, Store store, FacilityRegistry facilities, Clock clock,
                           Supplier<CamelContext> camel) {
        config = new CriticalResultsConfig(settings.confDir());
        config.reload();
        NotificationChannels channels = new NotificationChannels(new KameletCall(camel), settings);
        CriticalNotificationSender sender = new CriticalNotificationSender(store, config, facilities,
                channels, AcknowledgementLink.from(settings), clock);
        onCall = new OnCallPager(config, facilities, channels);
        escalation = new CriticalResultEscalation(store, config, sender, clock);
        notifier = new CriticalResultNotifier(store, escalation, sender, clock);
        acknowledgement = new CriticalResultAcknowledgement(store, config, clock);
        timeline = new CriticalResultTimeline(store);
    }

    public CriticalResultsConfig config() { return config; }
    public CriticalResultNotifier notifier() { return notifier; }
    public CriticalResultEscalation escalation() { return escalation; }
    public CriticalResultAcknowledgement acknowledgement() { return acknowledgement; }
    public CriticalResultTimeline timeline() { return timeline; }
    /** Routing's on-call pages, sent through the same channels and clinician directories. */
    public OnCallPager onCallPager() { return onCall; }
}
