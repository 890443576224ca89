package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * The part of an item's replication policy its pair's roles act on: how long the replica keeps
 * recovery points ({@code retention}), how often a crash- and an application-consistent point is
 * taken, and the commands run around an application-consistent point at the source ({@code freeze}
 * quiesces the application, {@code thaw} releases it; each an argument vector run without a shell).
 * Without a freeze command an application-consistent point is taken with the disks' writes held, as a
 * freeze would.
 */
public record PairPolicy(Duration retention, Duration crashEvery, Duration appEvery, List<String> freeze, List<String> thaw) {
    public PairPolicy {
        requireNonNull(retention, "retention is null");
        requireNonNull(crashEvery, "crashEvery is null");
        requireNonNull(appEvery, "appEvery is null");
        freeze = List.copyOf(freeze);
        thaw = List.copyOf(thaw);
        for (Duration d : List.of(retention, crashEvery, appEvery)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a pair policy's durations must be positive: " + d);
            }
        }
        if (freeze.isEmpty() && !thaw.isEmpty()) {
            throw new IllegalArgumentException("a thaw command needs a freeze command");
        }
    }

    /** A policy with a marker cadence and retention and no freeze commands. */
    public static PairPolicy of(Duration retention, Duration crashEvery, Duration appEvery) {
        return new PairPolicy(retention, crashEvery, appEvery, List.of(), List.of());
    }
}
