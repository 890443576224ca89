package org.boomerang.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import org.boomerang.common.Clock;

/**
 * A clock tests move by hand (the {@link Clock} seam, HikariCP's {@code ClockSource}): wall time
 * starts at a fixed instant, monotonic time at 0, and both move only by {@link #advance}.
 * Thread-safe.
 */
public final class TestingClock implements Clock {
    /** Where the no-argument constructor starts. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now;
    private long nanos;

    public TestingClock(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    public TestingClock() {
        this(DEFAULT_START);
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    /** Moves wall and monotonic time forward by {@code d}. */
    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward: " + d);
        }
        now = now.plus(d);
        nanos += d.toNanos();
    }
}
