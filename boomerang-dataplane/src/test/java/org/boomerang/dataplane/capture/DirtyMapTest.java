package org.boomerang.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.common.MarkerKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent dirty map as the capture uses it: when it is written (counted through the I/O seam), what survives a reopen. */
class DirtyMapTest {
    private static final int SIZE = 4 << 20;
    private static final int EXTENT = 64 << 10;
    private static final DiskId DISK = new DiskId("disk0");

    @TempDir
    Path dir;

    private RawFileBlockDevice local;
    private Path state;
    private final AtomicInteger mapWrites = new AtomicInteger();
    private final AtomicInteger failAfter = new AtomicInteger(Integer.MAX_VALUE);
    private final MetadataWriter counting = (file, content) -> {
        if (file.getFileName().toString().equals(DirtyMap.FILE_NAME)) {
            if (mapWrites.get() >= failAfter.get()) {
                throw new IOException("fsync failed: Input/output error (injected)");
            }
            mapWrites.incrementAndGet();
        }
        MetadataWriter.ATOMIC.replace(file, content);
    };

    @BeforeEach
    void setUp() throws IOException {
        local = RawFileBlockDevice.create(dir.resolve("disk.img"), SIZE);
        state = dir.resolve("state");
    }

    @AfterEach
    void tearDown() throws IOException {
        local.close();
    }

    private InlineCapture open(CaptureOptions options) throws IOException {
        return InlineCapture.open(DISK, local, state, options, counting, Clock.SYSTEM);
    }

    private static CaptureOptions options() {
        return CaptureOptions.defaults().withExtentBytes(EXTENT);
    }

    private static ByteBuffer data(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    @Test
    void steadyWritesToDirtyExtentsWriteTheMapNoMore() throws Exception {
        try (InlineCapture capture = open(options())) {
            capture.feed().resume(0);
            new TestingReplica(TestingReplica.read(local)).drain(capture.feed());
            int afterOpen = mapWrites.get();
            capture.device().write(0, data(1, 4096), false);
            assertThat(mapWrites.get()).isEqualTo(afterOpen + 1);
            capture.device().write(EXTENT, data(2, 4096), false); // marked ahead with the first extent
            assertThat(mapWrites.get()).isEqualTo(afterOpen + 1);
            for (int i = 0; i < 500; i++) {
                capture.device().write((i % 32) * 4096L, data(i, 4096), false);
                capture.device().write(EXTENT + (i % 16) * 4096L, data(i, 4096), i % 10 == 0);
            }
            assertThat(mapWrites.get()).as("no map write for already-dirty extents").isEqualTo(afterOpen + 1);
            capture.device().write(50L * EXTENT - 10, data(3, 20), false); // straddles two clean extents: one write
            assertThat(mapWrites.get()).isEqualTo(afterOpen + 2);
            assertThat(capture.status().dirtyExtents()).isEqualTo(4);
            assertThat(capture.status().dirtyMapWrites()).isEqualTo(mapWrites.get());
        }
    }

    @Test
    void extentsLeaveTheMapOnlyOnceDurableAtTheTargetAndTheMapSurvivesAReopen() throws Exception {
        try (InlineCapture capture = open(options().withCleanInterval(Duration.ofDays(1)))) {
            capture.feed().resume(0);
            TestingReplica replica = new TestingReplica(TestingReplica.read(local));
            replica.drain(capture.feed());
            capture.device().write(0, data(1, 4096), false);
            capture.device().write(3L * EXTENT, data(2, 4096), false);
            var batch = capture.feed().poll(1 << 20, Duration.ZERO);
            batch.forEach(replica::apply);
            capture.feed().released(replica.durable);
            assertThat(capture.status().dirtyExtents()).as("released at the next hop is not durable at the target").isEqualTo(2);
            capture.feed().durableAtTarget(batch.get(0).lsn());
            assertThat(capture.status().dirtyExtents()).isEqualTo(1);
            capture.device().write(7L * EXTENT, data(3, 4096), false); // never sent
        }
        try (InlineCapture capture = open(options())) {
            assertThat(capture.status().pendingExtents()).as("closing wrote the cleared extent out; the others stay").isEqualTo(2);
        }
    }

    @Test
    void clearedExtentsAreWrittenOutAfterTheCleanInterval() throws Exception {
        try (InlineCapture capture = open(options().withCleanInterval(Duration.ZERO))) {
            capture.feed().resume(0);
            TestingReplica replica = new TestingReplica(TestingReplica.read(local));
            replica.drain(capture.feed());
            capture.device().write(0, data(1, 4096), false);
            replica.drain(capture.feed()); // extent 0 is durable, but was written since the last clean: it stays marked
            InlineChangeFeed feed = capture.inlineFeed();
            assertThat(feed.underLock(() -> feed.map().isPersisted(0))).isTrue();
            capture.device().write(30L * EXTENT, data(2, 4096), false);
            replica.drain(capture.feed()); // extent 0 was idle for a whole interval: written out of the map
            assertThat(feed.underLock(() -> feed.map().isPersisted(0))).isFalse();
            assertThat(feed.underLock(() -> feed.map().isPersisted(30))).isTrue();
        }
    }

    @Test
    void aFailedMapWriteIsFinalWithAStableCode() throws Exception {
        try (InlineCapture capture = open(options())) {
            capture.feed().resume(0);
            new TestingReplica(TestingReplica.read(local)).drain(capture.feed());
            capture.device().write(0, data(1, 4096), false);
            failAfter.set(mapWrites.get());
            assertThatThrownBy(() -> capture.device().write(50L * EXTENT, data(2, 4096), false))
                    .isInstanceOfSatisfying(CaptureException.class, e -> {
                        assertThat(e.code()).isEqualTo(CaptureError.CAPTURE_FAILED);
                        assertThat(e.hint()).contains("restart");
                    });
            failAfter.set(Integer.MAX_VALUE);
            assertThatThrownBy(() -> capture.device().write(0, data(3, 4096), false))
                    .as("even a write to a dirty extent is refused once a map write failed")
                    .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.CAPTURE_FAILED));
            assertThat(capture.status().failure()).contains(CaptureError.CAPTURE_FAILED);
            assertThat(TestingReplica.read(local)[50 * EXTENT]).as("the refused write never reached the disk").isZero();
        }
    }

    @Test
    void aDamagedMapIsRefusedNeverHalfRead() throws Exception {
        try (InlineCapture capture = open(options())) {
            capture.device().write(0, data(1, 4096), false);
        }
        try (FileChannel ch = FileChannel.open(state.resolve(DirtyMap.FILE_NAME), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xff}), DirtyMap.HEADER_SIZE);
        }
        assertThatThrownBy(() -> open(options()))
                .isInstanceOfSatisfying(CaptureException.class, e -> {
                    assertThat(e.code()).isEqualTo(CaptureError.STATE_DAMAGED);
                    assertThat(e.getMessage()).contains("checksum");
                });
        try (FileChannel ch = FileChannel.open(state.resolve(CaptureState.FILE_NAME), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 0);
        }
        assertThatThrownBy(() -> open(options()))
                .isInstanceOfSatisfying(CaptureException.class, e -> assertThat(e.code()).isEqualTo(CaptureError.STATE_DAMAGED));
    }
}
