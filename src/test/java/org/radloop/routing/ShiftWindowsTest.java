package org.radloop.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.radloop.config.RadiologistConfig;

/**
 * The remembered shift starts give exactly what the weekly schedule gives, at every moment of a
 * fortnight that includes the spring clock change: day shifts, night shifts past midnight, a
 * whole-day shift, overlapping shifts and weekends.
 */
class ShiftWindowsTest {

    static RadiologistConfig reader(String id, String zone, RadiologistConfig.Shift... shifts) {
        return new RadiologistConfig(id, id, List.of("neuro"), List.of("st-marys"), List.of("GB-ENG"), zone, List.of(shifts), 10, 10, List.of());
    }

    static RadiologistConfig.Shift shift(String start, String end, String... days) {
        return new RadiologistConfig.Shift(List.of(days), start, end);
    }

    @Test
    void rememberedShiftStartsAreAlwaysTheScheduledOnes() {
        List<RadiologistConfig> readers = List.of(
                reader("day", "Europe/London", shift("08:00", "18:00", "MON", "TUE", "WED", "THU", "FRI")),
                reader("night", "Europe/London", shift("18:00", "08:00", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")),
                reader("all-day", "America/New_York", shift("00:00", "24:00", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")),
                reader("overlap", "Europe/London", shift("22:00", "09:00", "SAT", "SUN"), shift("07:00", "15:00", "SUN", "MON")),
                reader("weekend", "Australia/Sydney", shift("08:30", "20:15", "SAT", "SUN")));
        ShiftWindows windows = new ShiftWindows();
        int compared = 0;
        int onShift = 0;
        // 23 March to 6 April 2026: Europe/London moves to summer time on 29 March, Sydney leaves it on 5 April.
        for (Instant t = Instant.parse("2026-03-23T00:00:00Z"); t.isBefore(Instant.parse("2026-04-06T00:00:00Z")); t = t.plus(Duration.ofMinutes(7))) {
            for (RadiologistConfig r : readers) {
                Instant expected = r.scheduledShiftStart(t);
                assertThat(windows.scheduledStart(r, t)).as(r.id() + " at " + t).isEqualTo(expected);
                compared++;
                if (expected != null) onShift++;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(onShift).as("the schedules cover both on and off shift").isBetween(compared / 5, compared * 4 / 5);
    }

    @Test
    void aReloadedRosterEntryIsWorkedOutAgain() {
        Instant monday9 = Instant.parse("2026-03-02T09:00:00Z");
        ShiftWindows windows = new ShiftWindows();
        assertThat(windows.scheduledStart(reader("r", "Europe/London", shift("08:00", "18:00", "MON")), monday9))
                .isEqualTo(Instant.parse("2026-03-02T08:00:00Z"));
        assertThat(windows.scheduledStart(reader("r", "Europe/London", shift("10:00", "18:00", "MON")), monday9)).isNull();
    }
}
