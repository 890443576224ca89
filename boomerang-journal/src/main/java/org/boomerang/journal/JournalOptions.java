package org.boomerang.journal;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.Clock;

/**
 * How a journal runs: when segments roll, and the clock that stamps markers.
 *
 * @param segmentBytes a segment rolls once it holds at least this many bytes (64 KiB .. 1 GiB)
 * @param checkpointEveryRecords kept for source compatibility and validated, but no longer used: each sealed
 *     segment gets its own index file, written off the append path (the whole-journal checkpoint it paced is retired)
 * @param clock the time seam for marker wall times and retention
 */
public record JournalOptions(long segmentBytes, int checkpointEveryRecords, Clock clock) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final int DEFAULT_CHECKPOINT_EVERY = 16_384;
    static final long MIN_SEGMENT_BYTES = 64L << 10;
    static final long MAX_SEGMENT_BYTES = 1L << 30;

    public JournalOptions {
        requireNonNull(clock, "clock is null");
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment size must be between 64 KiB and 1 GiB: " + segmentBytes);
        }
        if (checkpointEveryRecords < 1) {
            throw new IllegalArgumentException("checkpointEveryRecords must be positive: " + checkpointEveryRecords);
        }
    }

    public static JournalOptions defaults() {
        return new JournalOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_CHECKPOINT_EVERY, Clock.SYSTEM);
    }

    public JournalOptions withSegmentBytes(long bytes) {
        return new JournalOptions(bytes, checkpointEveryRecords, clock);
    }

    public JournalOptions withClock(Clock newClock) {
        return new JournalOptions(segmentBytes, checkpointEveryRecords, newClock);
    }
}
