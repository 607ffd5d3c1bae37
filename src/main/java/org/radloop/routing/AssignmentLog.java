package org.radloop.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.Session;
import org.radloop.model.AssignmentRecord;
import org.radloop.model.AuditEvent;
import org.radloop.model.ReadingCase;

/**
 * Writes every assignment decision with why, in the transaction that acts on it: an
 * {@link AssignmentRecord} with the reasons as JSON, and an audit event.
 */
final class AssignmentLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AssignmentLog() {
    }

    static void decision(Session s, ReadingCase c, String action, String actor, AssignmentEngine.Decision d, String from,
                         String note, Instant now) {
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("urgency", c.getUrgency());
        why.put("subspecialty", c.getSubspecialty());
        why.put("rvu", c.getRvu());
        why.put("deadline", c.getDeadline().toString());
        if (note != null) why.put("note", note);
        if (d != null) {
            if (d.assigned()) why.put("score", d.parts());
            if (!d.runnersUp().isEmpty()) why.put("runnersUp", d.runnersUp());
            why.put("excluded", d.excluded());
            if (d.displacedCase() != null) why.put("displacedCase", d.displacedCase());
        }
        String to = d == null ? c.getRadiologistId() : d.chosen();
        write(s, c, action, to, from, actor, d == null ? null : d.score(), why, now);
    }

    static void event(Session s, ReadingCase c, String action, String to, String from, String actor, String note, Instant now) {
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("urgency", c.getUrgency());
        why.put("note", note);
        write(s, c, action, to, from, actor, null, why, now);
    }

    private static void write(Session s, ReadingCase c, String action, String to, String from, String actor, Double score,
                              Map<String, Object> why, Instant now) {
        String json;
        try {
            json = JSON.writeValueAsString(why);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        s.persist(new AssignmentRecord(c.getId(), action, to, from, actor, c.getRvu(), score, json, now));
        String detail = action + (to == null ? "" : " to " + to) + (from == null ? "" : " from " + from)
                + (why.get("note") == null ? "" : ": " + why.get("note"));
        s.persist(new AuditEvent(actor, "case." + action.toLowerCase(java.util.Locale.ROOT).replace('_', '-'), "case", c.getId(), detail));
    }
}
