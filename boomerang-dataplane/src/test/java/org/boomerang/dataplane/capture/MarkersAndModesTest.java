package org.boomerang.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash, app and group points, write barriers and synchronous mode. */
class MarkersAndModesTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    private RawFileBlockDevice diskA;
    private RawFileBlockDevice diskB;

    @BeforeEach
    void setUp() throws IOException {
        diskA = RawFileBlockDevice.create(dir.resolve("a.img"), SIZE);
        diskB = RawFileBlockDevice.create(dir.resolve("b.img"), SIZE);
    }

    @AfterEach
    void tearDown() throws IOException {
        diskA.close();
        diskB.close();
    }

    private InlineCapture open(String name, RawFileBlockDevice disk, CaptureOptions options) throws Exception {
        InlineCapture capture = InlineCapture.open(new DiskId(name), disk, dir.resolve("state-" + name), options);
        capture.feed().resume(0);
        new TestingReplica(TestingReplica.read(disk)).drain(capture.feed());
        return capture;
    }

    private static CaptureOptions options() {
        return CaptureOptions.defaults().withExtentBytes(64 << 10);
    }

    private static ByteBuffer counter(long value) {
        return ByteBuffer.allocate(4096).putLong(0, value);
    }

    @Test
    void crashPointsEvery200Milliseconds() throws Exception {
        try (InlineCapture capture = open("a", diskA, options());
                MarkerScheduler scheduler = MarkerScheduler.start(capture.feed(), Duration.ofMillis(200), "policy")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (scheduler.taken() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(scheduler.taken()).isGreaterThanOrEqualTo(3);
            List<CapturedChange> changes = capture.feed().poll(1 << 20, Duration.ZERO);
            assertThat(changes).hasSizeGreaterThanOrEqualTo(3).allSatisfy(c -> {
                assertThat(c).isInstanceOf(Mark.class);
                assertThat(((Mark) c).marker().tag()).isEqualTo("policy");
            });
        }
        assertThatThrownBy(() -> MarkerScheduler.start(new TestingFeed(), Duration.ofNanos(10), ""))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.BAD_OPTIONS));
    }

    @Test
    void appPointsOnlyWhenTheFreezeHookSucceededAndThawAlwaysRuns() throws Exception {
        Path thawed = dir.resolve("thawed");
        List<String> thaw = List.of("touch", thawed.toString());
        try (InlineCapture capture = open("a", diskA, options())) {
            var ok = new AppConsistentMarker(capture.feed(), new FreezeHooks(List.of("true"), thaw, Duration.ofSeconds(20)));
            assertThat(ok.take("nightly").taken()).isTrue();
            assertThat(thawed).exists();
            java.nio.file.Files.delete(thawed);

            var failing = new AppConsistentMarker(capture.feed(),
                    new FreezeHooks(List.of("sh", "-c", "echo database busy >&2; exit 3"), thaw, Duration.ofSeconds(20)));
            AppConsistentMarker.Outcome failed = failing.take("nightly");
            assertThat(failed.taken()).isFalse();
            assertThat(failed.reason()).contains("exit code 3").contains("database busy");
            assertThat(thawed).as("post-thaw runs after a failed freeze").exists();

            var slow = new AppConsistentMarker(capture.feed(), new FreezeHooks(List.of("sleep", "30"), List.of(), Duration.ofMillis(300)));
            AppConsistentMarker.Outcome timedOut = slow.take("nightly");
            assertThat(timedOut.taken()).isFalse();
            assertThat(timedOut.reason()).contains("did not finish within 300 ms");
            assertThat(slow.last()).isEqualTo(timedOut);

            capture.device().write(0, counter(1), false); // writes went on
            List<CapturedChange> stream = capture.feed().poll(1 << 20, Duration.ZERO);
            assertThat(stream.stream().filter(Mark.class::isInstance)).hasSize(1);
            assertThat(((Mark) stream.get(0)).marker().kind()).isEqualTo(MarkerKind.APP);
        }
    }

    @Test
    void aGroupCutIsConsistentAcrossDisksUnderDependentWrites() throws Exception {
        try (InlineCapture a = open("a", diskA, options()); InlineCapture b = open("b", diskB, options())) {
            TestingReplica replicaA = new TestingReplica(TestingReplica.read(diskA));
            TestingReplica replicaB = new TestingReplica(TestingReplica.read(diskB));
            replicaA.durable = a.feed().lastLsn();
            replicaB.durable = b.feed().lastLsn();
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    // each write to B follows an acknowledged write to A: at any consistent cut, a == b or a == b + 1.
                    // Nothing polls the feeds until the end: at most 12,000 writes of 4 KiB (47 MiB) stay below the
                    // 64 MiB queue, whose overflow would open a catch-up window and abort the cuts on a fast machine.
                    for (long i = 1; writing.get() && i <= 12_000; i++) {
                        a.device().write(0, counter(i), false);
                        b.device().write(0, counter(i), false);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int cuts = 0;
            for (int i = 0; i < 20; i++) {
                List<Mark> marks = GroupCut.take(List.of(a, b), "g1", "cut" + i, Duration.ofSeconds(10));
                assertThat(marks).hasSize(2);
                assertThat(marks.get(0).marker().pointId()).isEqualTo(marks.get(1).marker().pointId());
                cuts++;
                Thread.sleep(5);
            }
            writing.set(false);
            writer.get();
            assertThat(cuts).isEqualTo(20);
            List<Long> atCutsA = valuesAtMarks(a.feed(), replicaA);
            List<Long> atCutsB = valuesAtMarks(b.feed(), replicaB);
            assertThat(atCutsA).hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat(atCutsA.get(i) - atCutsB.get(i)).as("cut %d: a=%d b=%d", i, atCutsA.get(i), atCutsB.get(i)).isBetween(0L, 1L);
            }
        }
    }

    private static List<Long> valuesAtMarks(ChangeFeed feed, TestingReplica replica) throws Exception {
        List<Long> values = new java.util.ArrayList<>();
        while (true) {
            List<CapturedChange> batch = feed.poll(1 << 20, Duration.ofMillis(50));
            if (batch.isEmpty()) {
                return values;
            }
            for (CapturedChange c : batch) {
                replica.apply(c);
                if (c instanceof Mark) {
                    values.add(ByteBuffer.wrap(replica.bytes).getLong(0));
                }
            }
            feed.released(replica.durable);
        }
    }

    @Test
    void aBarrierHoldsWritesBackAndAWriteThatWaitsTooLongBreaksIt() throws Exception {
        try (InlineCapture a = open("a", diskA, options().withMaxGuestBlock(Duration.ofMillis(300)))) {
            WriteBarrier barrier = a.pause(Duration.ofSeconds(5));
            assertThat(barrier.intact()).isTrue();
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    a.device().write(0, counter(7), false);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            write.get(30, TimeUnit.SECONDS); // returns after maxGuestBlock, never lost
            assertThat(barrier.intact()).isFalse();
            assertThat(ByteBuffer.wrap(TestingReplica.read(diskA)).getLong(0)).isEqualTo(7);
            barrier.close();
            try (WriteBarrier again = a.pause(Duration.ofSeconds(5))) {
                assertThat(again.intact()).isTrue();
            }
        }
    }

    @Test
    void synchronousWritesWaitForTheTargetAndFallBackAfterTheBound() throws Exception {
        try (InlineCapture a = open("a", diskA, options().withSynchronous(true).withMaxGuestBlock(Duration.ofSeconds(60)))) {
            assertThat(a.status().synchronousActive()).isTrue();
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    a.device().write(0, counter(1), false);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            List<CapturedChange> sent = List.of();
            while (sent.isEmpty()) {
                sent = a.feed().poll(1 << 20, Duration.ofSeconds(10));
            }
            a.feed().released(sent.getLast().lsn());
            assertThat(write).as("released at the next hop is not enough").isNotDone();
            a.feed().durableAtTarget(sent.getLast().lsn());
            write.get(30, TimeUnit.SECONDS);
        }
        try (InlineCapture b = open("b", diskB, options().withSynchronous(true).withMaxGuestBlock(Duration.ofMillis(200)))) {
            b.device().write(0, counter(1), false); // nobody acknowledges: returns after the bound
            assertThat(b.status().synchronousFallbacks()).isEqualTo(1);
            assertThat(b.status().synchronousActive()).isFalse();
            b.device().write(4096, counter(2), false); // asynchronous now: no wait
            assertThat(b.status().synchronousFallbacks()).isEqualTo(1);
            List<CapturedChange> sent = b.feed().poll(1 << 20, Duration.ZERO);
            b.feed().durableAtTarget(sent.getLast().lsn());
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    b.device().write(8192, counter(3), false); // caught up: synchronous again, and nobody acks
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            write.get(30, TimeUnit.SECONDS);
            assertThat(b.status().synchronousFallbacks()).isEqualTo(2);
        }
    }
}
