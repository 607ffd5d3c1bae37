package org.radloop.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.radloop.config.FacilityRegistry;

/**
 * Pages one on-call person about a critical case that no radiologist qualifies for (routing calls it,
 * {@code org.radloop.routing.OnCallChain}), through the same {@link NotificationChannels} as critical
 * results: email over SMTP and the facility's SMS/pager gateway of {@code conf/directory/<facility>.yaml}
 * (a facility without a directory can still be paged by email, from {@code radloop.mail.from}).
 */
public final class OnCallPager {

    /**
     * One page: the case (no patient data), who is paged and how, and by when they are to claim it.
     *
     * @param step        0 for the first entry of the chain
     * @param previous    who was paged before and did not claim it (null on the first step)
     * @param channels    the channels the entry asks for; empty: every one it has a contact point for
     */
    public record Page(long pageId, long caseId, String facilityId, String accession, String procedure, String subspecialty,
                       String recipient, String email, String pager, List<String> channels, int step, int chainLength,
                       String previous, Duration answerWithin, Instant answerBy, String claimUrl) {
    }

    /** What the channels did: delivered when at least one accepted the page. */
    public record Outcome(boolean delivered, String summary) {
    }

    private final CriticalResultsConfig config;
    private final FacilityRegistry facilities;
    private final NotificationChannels channels;

    OnCallPager(CriticalResultsConfig config, FacilityRegistry facilities, NotificationChannels channels) {
        this.config = config;
        this.facilities = facilities;
        this.channels = channels;
    }

    public Outcome send(Page p) {
        FacilityDirectory dir = config.directory(p.facilityId()).orElseGet(() -> new FacilityDirectory(p.facilityId(), null,
                true, null, false, null, false, Map.of(), List.of()));
        Clinician person = new Clinician("on-call-" + p.step(), p.recipient(), p.email(), p.pager(), null, null, p.channels());
        List<String[]> contacts = person.contacts(dir.emailEnabled(), dir.smsEnabled() && dir.smsWebhookUrl() != null);
        if (contacts.isEmpty()) {
            return new Outcome(false, "no channel of " + p.facilityId() + " reaches " + p.recipient()
                    + " (email " + (dir.emailEnabled() ? "on" : "off") + ", SMS gateway " + (dir.smsWebhookUrl() == null ? "none" : "on") + ")");
        }
        var facility = facilities.byId(p.facilityId());
        String facilityName = facility.map(f -> f.config().name()).orElse(p.facilityId());
        ZoneId zone = facility.map(f -> CriticalNotificationSender.zone(f.config().timeZone())).orElse(ZoneOffset.UTC);
        NotificationText text = NotificationText.onCall(p, facilityName, zone);
        List<String> parts = new ArrayList<>();
        boolean delivered = false;
        for (String[] c : contacts) {
            try {
                channels.send(c[0], c[1], "radloop-on-call-" + p.caseId() + "-" + p.pageId(), dir, text);
                delivered = true;
                parts.add(c[0] + " to " + c[1] + ": sent");
            } catch (Exception e) {
                parts.add(c[0] + " to " + c[1] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return new Outcome(delivered, String.join("; ", parts));
    }
}
