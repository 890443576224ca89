package org.boomerang.journal.recovery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.boomerang.common.Durations;

/**
 * How long a journal keeps history and how densely (SPEC §2.3).
 *
 * <p>{@code window}: records older than the newest marker at least this old are applied to the base
 * image and their segments deleted. {@code tiers}: thinning of the recovery points inside the window —
 * a point older than a tier's {@code after} keeps only one point per {@code keepOnePer} bucket (the
 * newest, and the newest application-consistent one). The default keeps every point for 2 hours,
 * then one per hour, then one per day, for 3 days.
 */
public record RetentionPolicy(Duration window, List<Tier> tiers) {
    /** From {@code after} on, keep one point per {@code keepOnePer}. */
    public record Tier(Duration after, Duration keepOnePer) {
        public Tier {
            requireNonNull(after, "after is null");
            requireNonNull(keepOnePer, "keepOnePer is null");
            if (after.isNegative() || keepOnePer.isNegative() || keepOnePer.isZero()) {
                throw new IllegalArgumentException("a thinning tier needs after >= 0 and keepOnePer > 0");
            }
        }
    }

    public RetentionPolicy {
        requireNonNull(window, "window is null");
        requireNonNull(tiers, "tiers is null");
        if (window.isNegative()) {
            throw new IllegalArgumentException("retention window must not be negative: " + window);
        }
        List<Tier> sorted = new ArrayList<>(tiers);
        sorted.sort(Comparator.comparing(Tier::after));
        tiers = List.copyOf(sorted);
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(Duration.ofDays(3),
                List.of(new Tier(Duration.ofHours(2), Duration.ofHours(1)), new Tier(Duration.ofDays(1), Duration.ofDays(1))));
    }

    /** Keeps everything in the window, no thinning. */
    public static RetentionPolicy window(Duration window) {
        return new RetentionPolicy(window, List.of());
    }

    /**
     * Parses {@code WINDOW[,AFTER:EVERY...]}, e.g. {@code 72h,2h:1h,24h:1d}; durations are a number
     * as {@link Durations#parse} reads them (ms, s, m, h, d).
     */
    public static RetentionPolicy parse(String text) {
        String[] parts = text.trim().split(",");
        Duration window = Durations.parse(parts[0]);
        List<Tier> tiers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String[] t = parts[i].split(":");
            if (t.length != 2) {
                throw new IllegalArgumentException("not a thinning tier: '" + parts[i] + "' (write AFTER:EVERY, e.g. 2h:1h)");
            }
            tiers.add(new Tier(Durations.parse(t[0]), Durations.parse(t[1])));
        }
        return new RetentionPolicy(window, tiers);
    }
}
