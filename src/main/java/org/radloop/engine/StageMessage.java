package org.radloop.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What travels on a stage queue: which record changed, never the record itself (payloads and pixel
 * data stay in the store). Sent as JSON with the JMS priority of the clinical urgency.
 *
 * @param kind     what the id names: "order", "study", "instance", "report", ...
 * @param id       the record's id (database id or UID)
 * @param facility the facility id
 * @param event    what happened to it, e.g. "created", "updated", "cancelled", "completed"
 */
public record StageMessage(String kind, String id, String facility, String event) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StageMessage fromJson(String json) {
        try {
            return JSON.readValue(json, StageMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a stage message: " + e.getOriginalMessage(), e);
        }
    }
}
