package org.boomerang.dataplane.capture;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.boomerang.common.MarkerKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-consistent recovery points every {@code every} on one feed (policy "marker every N"; durations
 * down to a millisecond, so {@code 200ms} works). A tick inside an inconsistent window takes no point and
 * is counted as skipped; a failing tick is logged and counted, and the next tick tries again.
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: borrows the feed; owns its one timer thread.
 */
public final class MarkerScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MarkerScheduler.class);
    public static final Duration MIN_PERIOD = Duration.ofMillis(1);

    private final ChangeFeed feed;
    private final String tag;
    private final ScheduledExecutorService timer;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private MarkerScheduler(ChangeFeed feed, Duration every, String tag) {
        this.feed = feed;
        this.tag = tag;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "markers-" + feed.disk());
            t.setDaemon(true);
            return t;
        });
        long nanos = every.toNanos();
        timer.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Starts taking a crash point every {@code every}, tagged {@code tag}. */
    public static MarkerScheduler start(ChangeFeed feed, Duration every, String tag) {
        requireNonNull(feed, "feed is null");
        requireNonNull(every, "every is null");
        requireNonNull(tag, "tag is null");
        if (every.compareTo(MIN_PERIOD) < 0) {
            throw new CaptureException(CaptureError.BAD_OPTIONS, "marker period " + every.toMillis() + " ms is too short",
                    "use a period of at least 1ms, such as 200ms");
        }
        return new MarkerScheduler(feed, every, tag);
    }

    private void tick() {
        try {
            if (feed.mark(MarkerKind.CRASH, "", tag).isPresent()) {
                taken.incrementAndGet();
            } else {
                skipped.incrementAndGet();
            }
        } catch (Exception e) {
            failed.incrementAndGet();
            LOG.warn("disk={} crash point not taken: {}", feed.disk(), e.toString());
        }
    }

    /** Points taken so far. */
    public long taken() {
        return taken.get();
    }

    /** Ticks that fell inside an inconsistent window. */
    public long skipped() {
        return skipped.get();
    }

    /** Ticks that failed (logged). */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
