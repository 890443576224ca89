package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How an {@link InlineCapture} tracks and queues a disk's writes. Validated on construction; every
 * refusal names the option and the accepted range.
 *
 * @param queueBytes the most payload the in-memory queue holds; beyond it the queue is dropped and the
 *     feed catches up from the dirty map (memory stays bounded, the guest is not blocked)
 * @param extentBytes the dirty map's granularity, a power of two in [{@value #MIN_EXTENT_BYTES},
 *     {@value #MAX_EXTENT_BYTES}]: a write to a clean extent costs one metadata fsync before it is
 *     acknowledged, writes to dirty extents cost none (DRBD's activity-log extents are 4 MiB)
 * @param maxGuestBlock the longest a guest write waits for the capture: for a paused write barrier and,
 *     in synchronous mode, for the target's acknowledgement (then the disk falls back to asynchronous)
 * @param synchronous acknowledge a write only once it is durable at the master target (RPO 0)
 * @param maxScanPasses catch-up passes over the dirty map that re-send re-dirtied extents before the
 *     last pass, which queues the guest's writes behind the extents it still has to send
 * @param finalPassBytes the catch-up goes to its last pass as soon as no more than this much is left
 *     to send
 * @param cleanInterval how often extents that became durable at the target are written out of the
 *     persistent dirty map (clearing them is never urgent: a stale dirty extent is only re-sent)
 */
public record CaptureOptions(long queueBytes, int extentBytes, Duration maxGuestBlock, boolean synchronous,
        int maxScanPasses, long finalPassBytes, Duration cleanInterval) {
    public static final long DEFAULT_QUEUE_BYTES = 64L << 20;
    public static final int DEFAULT_EXTENT_BYTES = 1 << 20;
    public static final int MIN_EXTENT_BYTES = 4096;
    public static final int MAX_EXTENT_BYTES = 64 << 20;
    public static final Duration DEFAULT_MAX_GUEST_BLOCK = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_SCAN_PASSES = 4;
    public static final long DEFAULT_FINAL_PASS_BYTES = 16L << 20;
    public static final Duration DEFAULT_CLEAN_INTERVAL = Duration.ofSeconds(10);

    public CaptureOptions {
        requireNonNull(maxGuestBlock, "maxGuestBlock is null");
        requireNonNull(cleanInterval, "cleanInterval is null");
        if (queueBytes < CapturedChange.MAX_WRITE_BYTES) {
            throw bad("queueBytes", queueBytes, "at least " + CapturedChange.MAX_WRITE_BYTES + " (one largest record)");
        }
        if (extentBytes < MIN_EXTENT_BYTES || extentBytes > MAX_EXTENT_BYTES || Integer.bitCount(extentBytes) != 1) {
            throw bad("extentBytes", extentBytes, "a power of two from " + MIN_EXTENT_BYTES + " to " + MAX_EXTENT_BYTES);
        }
        if (maxGuestBlock.isNegative() || maxGuestBlock.isZero()) {
            throw bad("maxGuestBlock", maxGuestBlock, "a positive duration such as 2s");
        }
        if (maxScanPasses < 1) {
            throw bad("maxScanPasses", maxScanPasses, "1 or more");
        }
        if (finalPassBytes < 0) {
            throw bad("finalPassBytes", finalPassBytes, "0 or more");
        }
        if (cleanInterval.isNegative()) {
            throw bad("cleanInterval", cleanInterval, "zero (clear at once) or a positive duration");
        }
    }

    /** 64 MiB queue, 1 MiB extents, 2 s guest bound, asynchronous, 4 scan passes, 16 MiB last pass, 10 s clean interval. */
    public static CaptureOptions defaults() {
        return new CaptureOptions(DEFAULT_QUEUE_BYTES, DEFAULT_EXTENT_BYTES, DEFAULT_MAX_GUEST_BLOCK, false,
                DEFAULT_MAX_SCAN_PASSES, DEFAULT_FINAL_PASS_BYTES, DEFAULT_CLEAN_INTERVAL);
    }

    public CaptureOptions withQueueBytes(long value) {
        return new CaptureOptions(value, extentBytes, maxGuestBlock, synchronous, maxScanPasses, finalPassBytes, cleanInterval);
    }

    public CaptureOptions withExtentBytes(int value) {
        return new CaptureOptions(queueBytes, value, maxGuestBlock, synchronous, maxScanPasses, finalPassBytes, cleanInterval);
    }

    public CaptureOptions withMaxGuestBlock(Duration value) {
        return new CaptureOptions(queueBytes, extentBytes, value, synchronous, maxScanPasses, finalPassBytes, cleanInterval);
    }

    public CaptureOptions withSynchronous(boolean value) {
        return new CaptureOptions(queueBytes, extentBytes, maxGuestBlock, value, maxScanPasses, finalPassBytes, cleanInterval);
    }

    public CaptureOptions withMaxScanPasses(int value) {
        return new CaptureOptions(queueBytes, extentBytes, maxGuestBlock, synchronous, value, finalPassBytes, cleanInterval);
    }

    public CaptureOptions withFinalPassBytes(long value) {
        return new CaptureOptions(queueBytes, extentBytes, maxGuestBlock, synchronous, maxScanPasses, value, cleanInterval);
    }

    public CaptureOptions withCleanInterval(Duration value) {
        return new CaptureOptions(queueBytes, extentBytes, maxGuestBlock, synchronous, maxScanPasses, finalPassBytes, value);
    }

    private static CaptureException bad(String name, Object value, String expected) {
        return new CaptureException(CaptureError.BAD_OPTIONS, "capture option " + name + "=" + value + " is out of range",
                "set " + name + " to " + expected);
    }
}
