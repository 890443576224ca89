package org.boomerang.common;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses and prints durations as operators write them: {@code 250ms}, {@code 90s}, {@code 15m},
 * {@code 2h}, {@code 3d}, or an ISO-8601 duration ({@code PT1H30M}). The one duration syntax of the
 * command line, the config files and the journal's retention policy; {@link ByteSize} is its
 * sibling for sizes.
 *
 * <p>A bare number is refused rather than guessed (seconds? milliseconds?): the message says what
 * to write instead.
 */
public final class Durations {
    /** What the error messages suggest. */
    public static final String EXAMPLES = "250ms, 30s, 15m, 2h, 3d or PT1H30M";

    private Durations() {}

    /**
     * Parses one duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms, for anything else
     *     (including negative values and a number without a unit)
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. " + EXAMPLES + ")");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (s.startsWith("p")) {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } else {
                d = withUnit(s);
            }
        } catch (ArithmeticException | NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. " + EXAMPLES + ")", e);
        }
        if (d == null) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. " + EXAMPLES + ")");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("a duration must not be negative: '" + text + "'");
        }
        return d;
    }

    private static Duration withUnit(String s) {
        int unitStart = s.length();
        while (unitStart > 0 && Character.isLetter(s.charAt(unitStart - 1))) {
            unitStart--;
        }
        String digits = s.substring(0, unitStart).trim();
        String unit = s.substring(unitStart);
        if (digits.isEmpty() || unit.isEmpty()) {
            return null;
        }
        long n = Long.parseLong(digits);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> null;
        };
    }

    /**
     * Prints a duration in the largest unit that divides it exactly ({@code 3d}, {@code 90m},
     * {@code 250ms}), so that {@code parse(format(d)).equals(d)} for every non-negative duration of
     * whole milliseconds.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
