package org.radloop.ingest;

import ca.uhn.hl7v2.ErrorCode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * HL7 DTM values (YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]) read strictly: "19xx0101" or a 30th of
 * February is a data type error (table 0357 code 102), never a silently wrong date in a record.
 * A value without an offset is in the facility's own time zone.
 */
final class Hl7Dates {

    private Hl7Dates() {
    }

    static LocalDate date(String value, ErrorLocation at) throws Hl7Rejection {
        if (value == null) return null;
        return dateTime(value, ZoneOffset.UTC, at, true).toLocalDate();
    }

    static Instant instant(String value, ZoneId zone, ErrorLocation at) throws Hl7Rejection {
        if (value == null) return null;
        return dateTime(value, zone, at, false).toInstant();
    }

    private static java.time.ZonedDateTime dateTime(String value, ZoneId zone, ErrorLocation at, boolean dateOnly) throws Hl7Rejection {
        String v = value.trim();
        int end = v.length();
        ZoneId z = zone;
        int sign = Math.max(v.indexOf('+'), v.indexOf('-'));
        if (sign > 0) {
            String off = v.substring(sign);
            if (off.length() != 5 || !digits(off, 1, 5)) throw bad(value, at);
            if (!dateOnly) z = ZoneOffset.ofHoursMinutes(Integer.parseInt(off.substring(0, 3)),
                    (off.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(off.substring(3, 5)));
            end = sign;
        }
        int dot = v.indexOf('.');
        int nanos = 0;
        if (dot >= 0 && dot < end) {
            if (dot != 14 || !digits(v, dot + 1, end) || end - dot - 1 > 9 || end == dot + 1) throw bad(value, at);
            String frac = (v.substring(dot + 1, end) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(frac);
            end = dot;
        }
        int len = end;
        if (!(len == 4 || len == 6 || len == 8 || len == 10 || len == 12 || len == 14) || !digits(v, 0, len)) throw bad(value, at);
        try {
            int year = Integer.parseInt(v.substring(0, 4));
            int month = len >= 6 ? Integer.parseInt(v.substring(4, 6)) : 1;
            int day = len >= 8 ? Integer.parseInt(v.substring(6, 8)) : 1;
            int hour = len >= 10 ? Integer.parseInt(v.substring(8, 10)) : 0;
            int minute = len >= 12 ? Integer.parseInt(v.substring(10, 12)) : 0;
            int second = len >= 14 ? Integer.parseInt(v.substring(12, 14)) : 0;
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).atZone(z);
        } catch (DateTimeException e) {
            throw bad(value, at);
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return from < to;
    }

    private static Hl7Rejection bad(String value, ErrorLocation at) {
        return Hl7Rejection.error(ErrorCode.DATA_TYPE_ERROR, at,
                "'" + value + "' in " + at.segment() + "-" + at.field() + " is not a valid HL7 date/time (YYYYMMDD[HHMM[SS]])");
    }
}
