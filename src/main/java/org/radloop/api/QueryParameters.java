package org.radloop.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query string of one request, read from the raw text rather than from Camel headers so that a
 * request header can never pose as a filter. Every value is checked; a bad one is refused with 400
 * naming the parameter, and an unknown parameter is refused rather than silently ignored (a typo in
 * a filter must not return everything).
 */
final class QueryParameters {

    private final Map<String, String> values = new LinkedHashMap<>();

    QueryParameters(String rawQuery, Set<String> allowed) {
        if (rawQuery == null || rawQuery.isEmpty()) return;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!allowed.contains(name)) {
                throw ApiProblem.badRequest("unknown query parameter '" + name + "'; known: " + String.join(", ", allowed));
            }
            if (values.containsKey(name)) throw ApiProblem.badRequest("query parameter '" + name + "' is given twice");
            values.put(name, value.trim());
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("query string is not correctly encoded: " + e.getMessage());
        }
    }

    /** The value, or null when absent or empty. */
    String text(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    int integer(String name, int fallback, int min, int max) {
        String v = text(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw ApiProblem.badRequest("parameter '" + name + "' must be between " + min + " and " + max + ", not " + n);
            return n;
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("parameter '" + name + "' must be a whole number, not '" + v + "'");
        }
    }

    /** ISO-8601: an instant (2026-03-01T08:00:00Z), a date-time with offset, or a date (midnight UTC). */
    Instant instant(String name) {
        String v = text(name);
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw ApiProblem.badRequest("parameter '" + name + "' must be an ISO-8601 date or time"
                            + " (e.g. 2026-03-01 or 2026-03-01T08:00:00Z), not '" + v + "'");
                }
            }
        }
    }

    <E extends Enum<E>> E choice(String name, Class<E> type) {
        String v = text(name);
        if (v == null) return null;
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("parameter '" + name + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()) + ", not '" + v + "'");
        }
    }
}
