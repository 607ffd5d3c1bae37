package org.radloop.delivery;

import java.util.ArrayList;
import java.util.List;

/** A person of a facility's directory whom a critical result can be sent to. */
record Clinician(String id, String name, String email, String pager, String phone, String coveredBy,
                 List<String> channels) {

    /** The (channel, address) pairs to notify this person by, given what the facility has enabled. */
    List<String[]> contacts(boolean emailEnabled, boolean smsEnabled) {
        List<String[]> out = new ArrayList<>();
        if (emailEnabled && email != null && wants(NotificationChannels.EMAIL)) out.add(new String[] {NotificationChannels.EMAIL, email});
        if (smsEnabled && pager != null && wants(NotificationChannels.SMS)) out.add(new String[] {NotificationChannels.SMS, pager});
        return out;
    }

    private boolean wants(String channel) {
        return channels == null || channels.isEmpty() || channels.contains(channel);
    }
}
