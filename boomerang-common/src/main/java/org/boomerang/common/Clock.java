package org.boomerang.common;

import java.time.Instant;

/**
 * The time seam (HikariCP's {@code ClockSource}). Production code takes a {@code Clock};
 * tests pass a hand-written testing clock they can advance.
 */
public interface Clock {
    Clock SYSTEM = new Clock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };

    /** Wall-clock time, for records and reports. */
    Instant now();

    /** Monotonic time, for durations and timeouts. */
    long nanoTime();
}
