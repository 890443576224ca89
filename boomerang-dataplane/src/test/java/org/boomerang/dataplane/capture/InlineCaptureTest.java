package org.boomerang.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.boomerang.dataplane.capture.CapturedChange.Mark;
import org.boomerang.journal.Marker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InlineCaptureTest {
    private static final int SIZE = 8 << 20;
    private static final int EXTENT = 64 << 10;
    private static final DiskId DISK = new DiskId("disk0");

    @TempDir
    Path dir;

    private RawFileBlockDevice local;
    private Path state;

    @BeforeEach
    void setUp() throws IOException {
        local = RawFileBlockDevice.create(dir.resolve("disk.img"), SIZE);
        state = dir.resolve("state");
    }

    @AfterEach
    void tearDown() throws IOException {
        local.close();
    }

    private CaptureOptions options() {
        return CaptureOptions.defaults().withExtentBytes(EXTENT).withFinalPassBytes(4 * EXTENT);
    }

    private static ByteBuffer pattern(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    @Test
    void freshStateCopiesTheDiskFirstAndOffersNoPointUntilTheCopyIsDone() throws Exception {
        Random random = new Random(1);
        local.write(3 * EXTENT + 100, pattern(random, 5000), false);
        local.write(SIZE - 4096, pattern(random, 4096), false);
        byte[] zeros = new byte[SIZE];
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            assertThat(capture.status().pendingExtents()).isEqualTo(2);
            assertThat(capture.feed().mark(MarkerKind.CRASH, "", "")).isEmpty();
            capture.feed().resume(0);
            assertThat(capture.feed().mark(MarkerKind.CRASH, "", "")).isEmpty();
            TestingReplica replica = new TestingReplica(zeros);
            replica.drain(capture.feed());
            assertThat(replica.windows).isEqualTo(1);
            assertThat(replica.inWindow).isFalse();
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(local));
            assertThat(capture.feed().mark(MarkerKind.CRASH, "", "first")).isPresent();
            replica.drain(capture.feed());
            assertThat(replica.marks).isEqualTo(1);
            assertThat(capture.status().mode()).isEqualTo(CaptureMode.STREAMING);
        }
    }

    @Test
    void concurrentOverlappingChangesReplayInLsnOrderToTheLocalDiskAndEveryMarkerIsAPrefixState() throws Exception {
        runConcurrent(options(), 400, false);
    }

    @Test
    void aQueueTooSmallFallsBackToCatchUpWindowsAndLosesNothing() throws Exception {
        TestingReplica replica = runConcurrent(options().withQueueBytes(CapturedChange.MAX_WRITE_BYTES), 400, true);
        assertThat(replica.windows).isGreaterThan(1);
    }

    private TestingReplica runConcurrent(CaptureOptions opts, int opsPerThread, boolean slowReceiver) throws Exception {
        byte[] initial = TestingReplica.read(local);
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, opts)) {
            TestingReplica replica = new TestingReplica(initial);
            ChangeFeed feed = capture.feed();
            feed.resume(0);
            BlockDevice device = capture.device();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                Future<?> receiver = pool.submit(() -> {
                    while (true) {
                        boolean last = !writing.get();
                        List<CapturedChange> batch = feed.poll(1 << 20, Duration.ofMillis(20));
                        if (last && batch.isEmpty() && !replica.inWindow) {
                            return null;
                        }
                        for (CapturedChange c : batch) {
                            replica.apply(c);
                        }
                        feed.released(replica.durable);
                        feed.durableAtTarget(replica.durable);
                        if (slowReceiver) {
                            Thread.sleep(2);
                        }
                    }
                });
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    writers.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int i = 0; i < opsPerThread; i++) {
                            long offset = random.nextInt(SIZE / 512 - 8) * 512L;
                            int kind = random.nextInt(10);
                            int length = (1 + random.nextInt(Math.min(2048, (int) ((SIZE - offset) / 512)))) * 512;
                            if (kind < 7) {
                                length = Math.min(length, 256 << 10);
                                device.write(offset, pattern(random, length), random.nextInt(20) == 0);
                            } else if (kind == 7) {
                                device.trim(offset, length);
                            } else if (kind == 8) {
                                device.writeZeroes(offset, length, random.nextBoolean(), false);
                            } else {
                                capture.whileQuiesced(() -> {
                                    Marker m = new Marker(MarkerKind.CRASH, UUID.randomUUID().toString(), Instant.now(), "", "");
                                    Optional<Mark> mark = capture.mark(m);
                                    if (mark.isPresent()) {
                                        replica.expectAtMark(m.pointId(), TestingReplica.read(local));
                                    }
                                    return null;
                                });
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : writers) {
                    w.get();
                }
                writing.set(false);
                receiver.get();
            } finally {
                pool.shutdownNow();
            }
            replica.drain(feed);
            assertThat(replica.inWindow).isFalse();
            assertThat(Arrays.equals(replica.bytes, TestingReplica.read(local))).as("replica equals the local disk").isTrue();
            if (!slowReceiver) {
                assertThat(replica.markersChecked).isNotEmpty();
            }
            Marker m = new Marker(MarkerKind.CRASH, "after", Instant.now(), "", "");
            replica.expectAtMark("after", TestingReplica.read(local));
            assertThat(capture.mark(m)).isPresent();
            replica.drain(feed);
            assertThat(replica.markersChecked).contains("after");
            return replica;
        }
    }

    @Test
    void afterARestartTheFeedCatchesUpFromTheReceiversDurableLsn() throws Exception {
        byte[] initial = TestingReplica.read(local);
        TestingReplica replica = new TestingReplica(initial);
        Random random = new Random(7);
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            capture.feed().resume(0);
            replica.drain(capture.feed());
            for (int i = 0; i < 50; i++) {
                capture.device().write(random.nextInt(SIZE / 4096) * 4096L, pattern(random, 4096), false);
            }
            // half of the stream reaches the replica; the agent stops before the rest is sent
            List<CapturedChange> some = capture.feed().poll(100 * 4096, Duration.ZERO);
            for (CapturedChange c : some.subList(0, some.size() / 2)) {
                replica.apply(c);
            }
            capture.feed().durableAtTarget(replica.durable);
        }
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            assertThat(capture.status().mode()).isEqualTo(CaptureMode.AWAITING_RESUME);
            assertThatThrownBy(() -> capture.feed().poll(1, Duration.ZERO))
                    .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.NOT_RESUMED));
            capture.device().write(0, pattern(random, 4096), false); // written while no LSN is known
            capture.feed().resume(replica.durable);
            replica.drain(capture.feed());
            assertThat(replica.windows).isEqualTo(2);
            assertThat(replica.inWindow).isFalse();
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(local));
            assertThat(capture.feed().mark(MarkerKind.CRASH, "", "")).isPresent();
        }
    }

    @Test
    void aWriteLargerThanARecordIsSentInsideAWindowSoNoPointFallsBetweenItsPieces() throws Exception {
        TestingReplica replica = new TestingReplica(TestingReplica.read(local));
        Random random = new Random(4);
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            ChangeFeed feed = capture.feed();
            feed.resume(0);
            replica.drain(feed);
            capture.device().write(1 << 20, pattern(random, 3 << 20), false);
            capture.device().write(0, pattern(random, 4096), false);
            List<CapturedChange> sent = new java.util.ArrayList<>(feed.poll(8 << 20, Duration.ZERO));
            assertThat(sent).hasSize(6);
            assertThat(sent.get(0)).isInstanceOf(CapturedChange.WindowOpen.class);
            assertThat(sent.subList(1, 4)).allMatch(c -> c instanceof CapturedChange.Write);
            assertThat(sent.get(4)).isInstanceOf(CapturedChange.WindowClose.class);
            assertThat(sent.get(5)).as("a write of one record needs no window").isInstanceOf(CapturedChange.Write.class);
            for (int i = 1; i < sent.size(); i++) {
                assertThat(sent.get(i).lsn()).isEqualTo(sent.get(i - 1).lsn() + 1);
            }
            sent.forEach(replica::apply);
            assertThat(replica.windows).isEqualTo(2); // the initial copy's and the split write's
            assertThat(replica.inWindow).isFalse();
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(local));
        }
    }

    @Test
    void aResumeInsideTheQueueResendsWhatWasNotAcknowledged() throws Exception {
        TestingReplica replica = new TestingReplica(TestingReplica.read(local));
        Random random = new Random(3);
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            ChangeFeed feed = capture.feed();
            feed.resume(0);
            replica.drain(feed);
            for (int i = 0; i < 20; i++) {
                capture.device().write(random.nextInt(SIZE / 4096) * 4096L, pattern(random, 4096), false);
            }
            List<CapturedChange> first = feed.poll(1 << 20, Duration.ZERO);
            assertThat(first).hasSize(20);
            replica.apply(first.get(0));
            replica.apply(first.get(1));
            feed.released(replica.durable);
            feed.resume(replica.durable); // reconnect: the rest was lost on the wire
            List<CapturedChange> again = feed.poll(1 << 20, Duration.ZERO);
            assertThat(again).hasSize(18);
            assertThat(again.get(0).lsn()).isEqualTo(replica.durable + 1);
            again.forEach(replica::apply);
            assertThat(replica.windows).isEqualTo(1); // only the initial one
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(local));
        }
    }

    @Test
    void aReceiverAheadOfTheLineageOrBehindTheTargetIsRefused() throws Exception {
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            assertThatThrownBy(() -> capture.feed().resume(5))
                    .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.RECEIVER_AHEAD));
            capture.feed().resume(0);
            TestingReplica replica = new TestingReplica(TestingReplica.read(local));
            capture.device().write(0, pattern(new Random(1), 4096), false);
            replica.drain(capture.feed());
            assertThatThrownBy(() -> capture.feed().resume(replica.durable - 1))
                    .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.RECEIVER_BEHIND));
        }
    }

    @Test
    void stateOfAnotherDiskIsRefusedAndADirectoryIsOpenOnlyOnce() throws Exception {
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            assertThatThrownBy(() -> InlineCapture.open(DISK, local, state, options()))
                    .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.IN_USE));
        }
        assertThatThrownBy(() -> InlineCapture.open(new DiskId("other"), local, state, options()))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.STATE_MISMATCH));
        assertThatThrownBy(() -> InlineCapture.open(DISK, local, state, options().withExtentBytes(2 * EXTENT)))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.STATE_MISMATCH));
    }

    @Test
    void optionsAreValidatedWithTheOptionNamed() {
        assertThatThrownBy(() -> CaptureOptions.defaults().withExtentBytes(3000))
                .isInstanceOfSatisfying(CaptureException.class, e -> {
                    assertThat(e.code()).isEqualTo(CaptureError.BAD_OPTIONS);
                    assertThat(e.getMessage()).contains("extentBytes");
                });
        assertThatThrownBy(() -> CaptureOptions.defaults().withQueueBytes(10))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.getMessage()).contains("queueBytes"));
        assertThatThrownBy(() -> CaptureOptions.defaults().withMaxGuestBlock(Duration.ZERO))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.getMessage()).contains("maxGuestBlock"));
        assertThat(CaptureOptions.defaults().queueBytes()).isEqualTo(64L << 20);
        assertThat(CaptureOptions.defaults().extentBytes()).isEqualTo(1 << 20);
        assertThat(CaptureOptions.defaults().synchronous()).isFalse();
    }

    @Test
    void largeWritesAreSplitIntoRecordsOfAtMostTheLargestPayload() throws Exception {
        try (InlineCapture capture = InlineCapture.open(DISK, local, state, options())) {
            capture.feed().resume(0);
            TestingReplica replica = new TestingReplica(TestingReplica.read(local));
            replica.drain(capture.feed());
            capture.device().write(4096, pattern(new Random(2), 2 * CapturedChange.MAX_WRITE_BYTES + 512), true);
            List<CapturedChange> batch = capture.feed().poll(8 << 20, Duration.ZERO);
            assertThat(batch).hasSize(5); // window open, three pieces, window close
            assertThat(batch.subList(1, 4)).allSatisfy(c -> {
                assertThat(c).isInstanceOf(CapturedChange.Write.class);
                assertThat(((CapturedChange.Write) c).data().remaining()).isLessThanOrEqualTo(CapturedChange.MAX_WRITE_BYTES);
            });
            batch.forEach(replica::apply);
            assertThat(replica.bytes).isEqualTo(TestingReplica.read(local));
        }
    }
}
