package org.boomerang.journal;

import java.time.Duration;
import java.time.Instant;
import org.boomerang.common.Clock;

/** A clock the test moves by hand. */
final class TestingClock implements Clock {
    private Instant now;
    private long nanos;

    TestingClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
        nanos += d.toNanos();
    }
}
