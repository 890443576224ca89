package org.boomerang.portal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the portal writes times, durations and sizes. Stateless. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final long KIB = 1024;

    private Format() {}

    public static String time(Instant t) {
        return TIME.format(t);
    }

    /** {@code 0 s}, {@code 42 s}, {@code 4 min 10 s}, {@code 2 h 5 min}, {@code 3 d 4 h}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        if (s < 86_400) {
            return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + ((s % 3600) / 60) + " min");
        }
        return (s / 86_400) + " d" + ((s % 86_400) / 3600 == 0 ? "" : " " + ((s % 86_400) / 3600) + " h");
    }

    /** Bytes in binary units: {@code 512 B}, {@code 1.5 MiB}. */
    public static String bytes(long n) {
        if (n < KIB) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= KIB && u < units.length - 1) {
            v /= KIB;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
