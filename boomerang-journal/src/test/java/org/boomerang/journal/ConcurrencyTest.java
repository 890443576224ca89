package org.boomerang.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.testing.TestingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders (large direct-I/O records and small buffered ones), readers of the live disk and of
 * point-in-time views, syncs and retention runs, all at once. Every writer reads its own write back
 * through the live device at once (read-your-writes), views never fail, and after a reopen the disk
 * holds each writer's last data.
 */
class ConcurrencyTest {
    private static final long SIZE = 16 << 20;
    private static final int WRITERS = 3;
    private static final long REGION = SIZE / WRITERS / 4096 * 4096;

    @TempDir
    Path tmp;

    @Test
    void appendsViewsSyncsAndRetentionRunTogether() throws Exception {
        TestingClock clock = new TestingClock(Instant.parse("2026-05-01T00:00:00Z"));
        JournalOptions options = JournalOptions.defaults().withSegmentBytes(1 << 20).withClock(clock);
        Path dir = tmp.resolve("j");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        byte[][] last = new byte[WRITERS][];
        long[] lastOffset = new long[WRITERS];
        try (SegmentedJournal j = SegmentedJournal.create(dir, JournalIdentity.create(JournalFixtures.DISK, SIZE, 512), options);
                JournalingBlockDevice live = new JournalingBlockDevice(j)) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    Random r = new Random(writer);
                    try {
                        for (int i = 0; i < 60; i++) {
                            int length = i % 4 == 0 ? 256 * 1024 + 512 * r.nextInt(64) : 512 * (1 + r.nextInt(16));
                            long offset = writer * REGION + 512L * r.nextInt((int) ((REGION - length) / 512));
                            byte[] data = JournalFixtures.payload(writer * 1000L + i, length);
                            live.write(offset, ByteBuffer.wrap(data), i % 5 == 0);
                            assertThat(JournalFixtures.read(live::read, offset, length)).isEqualTo(data);
                            if (i % 7 == 0) {
                                j.appendMarker(MarkerKind.CRASH, "", "w" + writer);
                            }
                            last[writer] = data;
                            lastOffset[writer] = offset;
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            Thread viewer = Thread.ofPlatform().start(() -> {
                Random r = new Random(99);
                try {
                    while (!stop.get()) {
                        long base = j.baseLsn().value();
                        long top = j.lastLsn().value();
                        try (PointInTimeView v = j.openView(Lsn.of(base + (long) (r.nextDouble() * (top - base + 1))))) {
                            JournalFixtures.read(v::read, r.nextInt((int) (SIZE - (1 << 20))), 1 << 20);
                        } catch (JournalException e) {
                            if (e.code() != JournalError.POINT_NOT_FOUND) {
                                throw e; // the base may move between baseLsn() and openView(): only that is allowed
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            Thread keeper = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        clock.advance(Duration.ofMinutes(1));
                        j.sync();
                        j.applyRetention(RetentionPolicy.window(Duration.ofMinutes(2)));
                        Thread.sleep(5);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            for (Thread t : threads) {
                t.join();
            }
            stop.set(true);
            viewer.join();
            keeper.join();
            assertThat(failures).isEmpty();
            assertThat(j.baseLsn().value()).as("retention ran during the appends").isPositive();
        }
        try (SegmentedJournal j = SegmentedJournal.open(dir, options); PointInTimeView v = j.openView(j.lastLsn())) {
            assertThat(j.verify()).isEqualTo(j.lastLsn().value() - j.baseLsn().value());
            for (int w = 0; w < WRITERS; w++) {
                assertThat(JournalFixtures.read(v::read, lastOffset[w], last[w].length)).isEqualTo(last[w]);
            }
        }
    }
}
