package org.radloop.config;

import java.time.Duration;

/**
 * The durations analysts write in the critical-results files: {@code 30s}, {@code 15m}, {@code 4h},
 * {@code 3d}. The schemas already check the form; this only turns it into a {@link Duration}.
 */
public final class ConfiguredDuration {

    private ConfiguredDuration() {
    }

    public static Duration parse(String text) {
        String t = text.trim();
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }

    /** How a duration reads in a notification or the API ("15 min", "4 h", "3 d"). */
    public static String describe(Duration d) {
        if (d.toMinutes() < 1) return d.toSeconds() + " s";
        if (d.toMinutes() % (60 * 24) == 0) return d.toDays() + " d";
        if (d.toMinutes() % 60 == 0) return d.toHours() + " h";
        return d.toMinutes() + " min";
    }
}
