package org.radloop.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/**
 * One radiologist of {@code conf/radiologists.yaml}; the schema (conf/schemas/radiologists.schema.json)
 * documents each field. Knows when its weekly shifts are on, in its own time zone.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RadiologistConfig(
        String id,
        String name,
        List<String> subspecialties,
        List<String> privileges,
        List<String> licences,
        String timeZone,
        List<Shift> shifts,
        int maxOpenCases,
        double rvuPerHour,
        List<Conflict> conflicts) {

    public static final String GENERAL = "general";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shift(List<String> days, String start, String end) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Conflict(String facility, String orderingProvider) {
    }

    public List<String> subspecialties() {
        return subspecialties == null ? List.of() : subspecialties;
    }

    public List<String> privileges() {
        return privileges == null ? List.of() : privileges;
    }

    public List<String> licences() {
        return licences == null ? List.of() : licences;
    }

    public List<Shift> shifts() {
        return shifts == null ? List.of() : shifts;
    }

    public List<Conflict> conflicts() {
        return conflicts == null ? List.of() : conflicts;
    }

    public boolean reads(String subspecialty) {
        return subspecialty != null && subspecialties().contains(subspecialty);
    }

    public boolean isGeneral() {
        return subspecialties().contains(GENERAL);
    }

    /**
     * When the scheduled shift that covers {@code at} began, or null when no shift covers it. A shift
     * is looked up from the day before as well, so that a night shift (end before start) counts after
     * midnight.
     */
    public Instant scheduledShiftStart(Instant at) {
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime local = at.atZone(zone);
        for (int back = 0; back <= 1; back++) {
            LocalDate day = local.toLocalDate().minusDays(back);
            String dayName = day.getDayOfWeek().name().substring(0, 3);
            for (Shift s : shifts()) {
                if (!s.days().contains(dayName)) continue;
                Instant[] w = window(s, day, zone);
                if (!at.isBefore(w[0]) && at.isBefore(w[1])) return w[0];
            }
        }
        return null;
    }

    /**
     * The first instant after {@code at} where {@link #scheduledShiftStart} can give another answer:
     * the next start or end of any shift, or local midnight (the days looked at move on). Until then
     * the answer for {@code at} holds, so it can be reused without being computed again.
     */
    public Instant nextShiftBoundary(Instant at) {
        ZoneId zone = ZoneId.of(timeZone);
        LocalDate today = at.atZone(zone).toLocalDate();
        Instant next = today.plusDays(1).atStartOfDay(zone).toInstant();
        for (int d = -1; d <= 1; d++) {
            LocalDate day = today.plusDays(d);
            String dayName = day.getDayOfWeek().name().substring(0, 3);
            for (Shift s : shifts()) {
                if (!s.days().contains(dayName)) continue;
                for (Instant b : window(s, day, zone)) {
                    if (b.isAfter(at) && b.isBefore(next)) next = b;
                }
            }
        }
        return next;
    }

    /** When the scheduled shift covering {@code at} ends, or null when none covers it. */
    public Instant scheduledShiftEnd(Instant at) {
        Instant start = scheduledShiftStart(at);
        if (start == null) return null;
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime s = start.atZone(zone);
        String dayName = s.getDayOfWeek().name().substring(0, 3);
        for (Shift shift : shifts()) {
            if (!shift.days().contains(dayName) || !time(shift.start()).equals(s.toLocalTime())) continue;
            ZonedDateTime end = "24:00".equals(shift.end()) ? s.toLocalDate().plusDays(1).atStartOfDay(zone)
                    : s.toLocalDate().atTime(time(shift.end())).atZone(zone);
            if (!end.isAfter(s)) end = end.plusDays(1);
            return end.toInstant();
        }
        return start.plus(Duration.ofHours(8));
    }

    /** Whether a listed conflict keeps this radiologist off a case of this facility and ordering provider. */
    public String conflictWith(String facilityId, String orderingProvider) {
        for (Conflict c : conflicts()) {
            if (c.facility() != null && c.facility().equals(facilityId)) return "conflict listed for facility " + facilityId;
            if (c.orderingProvider() != null && orderingProvider != null
                    && orderingProvider.toLowerCase(Locale.ROOT).contains(c.orderingProvider().toLowerCase(Locale.ROOT))) {
                return "conflict listed with the ordering provider";
            }
        }
        return null;
    }

    /** When a shift that begins on {@code day} starts and ends (an end before the start is the next day's). */
    private static Instant[] window(Shift s, LocalDate day, ZoneId zone) {
        ZonedDateTime start = day.atTime(time(s.start())).atZone(zone);
        ZonedDateTime end = "24:00".equals(s.end()) ? day.plusDays(1).atStartOfDay(zone) : day.atTime(time(s.end())).atZone(zone);
        if (!end.isAfter(start)) end = end.plusDays(1);
        return new Instant[] {start.toInstant(), end.toInstant()};
    }

    /** Parsed shift times: every assignment decision asks every reader's shift, parsing was a fifth of its CPU. */
    private static final java.util.Map<String, LocalTime> TIMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static LocalTime time(String hhmm) {
        return TIMES.computeIfAbsent(hhmm, t -> "24:00".equals(t) ? LocalTime.MIDNIGHT : LocalTime.parse(t));
    }

    static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) if (d.name().startsWith(abbreviation)) return d;
        throw new IllegalArgumentException(abbreviation);
    }
}
