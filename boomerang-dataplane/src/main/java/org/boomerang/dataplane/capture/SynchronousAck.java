package org.boomerang.dataplane.capture;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.common.DiskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous mode (as DRBD's protocol C): a guest write returns only once the master target holds it
 * durably. The wait is bounded by {@code maxGuestBlock}; past it the disk falls back to asynchronous
 * (logged, counted in the status) and returns to synchronous once the target is durable up to the LSN
 * where it fell back. A write taken while the feed catches up has no LSN yet and cannot be waited for:
 * it is acknowledged once local, as in asynchronous mode (the status says synchronous is not active).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class SynchronousAck {
    private static final Logger LOG = LoggerFactory.getLogger(SynchronousAck.class);
    private static final long ARMED = -1;

    private final DiskId disk;
    private final InlineChangeFeed feed;
    private final boolean enabled;
    private final Duration bound;
    private final AtomicLong fellBackAt = new AtomicLong(ARMED);
    private final AtomicLong fallbacks = new AtomicLong();

    SynchronousAck(DiskId disk, InlineChangeFeed feed, boolean enabled, Duration bound) {
        this.disk = disk;
        this.feed = feed;
        this.enabled = enabled;
        this.bound = bound;
    }

    /** Waits, in synchronous mode, until the change {@code lsn} is durable at the target (0: nothing to wait for). */
    void await(long lsn) throws InterruptedException {
        if (!enabled || lsn == 0) {
            return;
        }
        long since = fellBackAt.get();
        if (since != ARMED) {
            if (feed.durableTarget() < since) {
                return;
            }
            if (fellBackAt.compareAndSet(since, ARMED)) {
                LOG.info("disk={} lsn={} the target caught up: synchronous mode again", disk, since);
            }
        }
        if (!feed.awaitDurable(lsn, bound)) {
            if (fellBackAt.compareAndSet(ARMED, lsn)) {
                fallbacks.incrementAndGet();
                LOG.warn("disk={} lsn={} not durable at the target within {} ms: falling back to asynchronous mode",
                        disk, lsn, bound.toMillis());
            }
        }
    }

    boolean active() {
        return enabled && fellBackAt.get() == ARMED && !feed.mode().inconsistent();
    }

    long fallbacks() {
        return fallbacks.get();
    }
}
