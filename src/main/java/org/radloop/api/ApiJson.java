package org.radloop.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper of the API: instants and dates as ISO-8601 text, never as numbers. */
final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ApiJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A text field of a request body; null when absent or null, 400 when it is not text. */
    static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) return null;
        if (!v.isTextual()) throw ApiProblem.badRequest("'" + field + "' must be text");
        return v.asText();
    }

    /** A stored JSON text as a tree, or the text itself when it is not JSON (older rows, hand-written ones). */
    static Object readStored(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null ? text : node;
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
