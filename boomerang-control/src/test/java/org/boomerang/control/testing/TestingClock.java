package org.boomerang.control.testing;

import java.time.Duration;
import java.time.Instant;
import org.boomerang.common.Clock;

/** A clock tests move by hand. Starts at a fixed instant; thread-safe. */
public final class TestingClock implements Clock {
    private Instant now;
    private long nanos;

    public TestingClock(Instant start) {
        this.now = start;
    }

    public TestingClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
        nanos += d.toNanos();
    }
}
