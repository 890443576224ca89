package org.boomerang.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.Extent;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.common.SyncMode;
import org.boomerang.nbd.client.TestingNbdServer;
import org.boomerang.testing.Corruption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's rules, one case each: refusals with their codes, what is read and sent, and nbd:// disks. */
class SyncEngineTest {
    private static final int BLOCK = 64 * 1024;
    private static final long SIZE = 4L * 1024 * 1024 + 777;
    private static SyncEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEngine() {
        engine = new SyncEngine(SyncOptions.defaults(), Clock.SYSTEM);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void verifyFindsAPlantedOneByteDifference() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(1));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        long planted = 2L * BLOCK + 12345;
        Corruption.flipByte(target, planted);

        SyncReport report = sync(SyncMode.VERIFY, source, target, List.of(), Optional.empty());

        assertThat(report.identical()).isFalse();
        assertThat(report.differingRanges()).containsExactly(new ByteRange(2L * BLOCK, BLOCK));
        assertThat(report.sourceBytesRead()).isPositive();
        assertThat(report.targetBytesRead()).isPositive();
        assertThat(report.bytesSent()).isZero();
        assertThat(report.toJson()).contains("\"identical\":false", "\"differingRanges\":[{\"offset\":131072,\"length\":65536}]");
    }

    @Test
    void verifyFindsADifferenceInTheShortLastBlock() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(2));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        Corruption.flipByte(target, SIZE - 1);
        SyncReport report = sync(SyncMode.VERIFY, source, target, List.of(), Optional.empty());
        long lastBlock = (SIZE / BLOCK) * BLOCK;
        assertThat(report.differingRanges()).containsExactly(new ByteRange(lastBlock, SIZE - lastBlock));
    }

    @Test
    void holesAgainstWrittenZeroesAreEqualAndCostNothing() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(3));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        try (RawFileBlockDevice s = RawFileBlockDevice.open(source, false);
             RawFileBlockDevice t = RawFileBlockDevice.open(target, false)) {
            s.trim(BLOCK, 5L * BLOCK);                  // a hole on the source ...
            t.writeZeroes(BLOCK, 5L * BLOCK, false, false); // ... written zeroes on the target
            t.flush();
            s.flush();
        }
        SyncReport delta = sync(SyncMode.DELTA, source, target, List.of(), Optional.empty());
        assertThat(delta.blocksChanged()).isZero();
        assertThat(delta.blocksZeroed()).isZero();
        assertThat(delta.bytesSent()).isZero();
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
    }

    @Test
    void deltaSendsOnlyTheChangedBlocksAndZeroesTrimmedOnes() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(4));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        Corruption.flipByte(target, 7);                 // block 0
        Corruption.flipByte(target, 10L * BLOCK - 1);   // block 9, last byte
        Corruption.flipByte(target, 10L * BLOCK);       // block 10, first byte
        try (RawFileBlockDevice s = RawFileBlockDevice.open(source, false)) {
            s.trim(20L * BLOCK, BLOCK);      // block 20 trimmed on the source only
            s.write(20L * BLOCK - 1, ByteBuffer.wrap(new byte[] {9}), false); // keep block 19's data, make it differ
            s.flush();
        }
        SyncReport delta = sync(SyncMode.DELTA, source, target, List.of(), Optional.empty());
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
        assertThat(delta.blocksChanged() + delta.blocksZeroed()).isLessThanOrEqualTo(5);
        assertThat(delta.bytesSent()).isLessThanOrEqualTo(4L * BLOCK);
        assertThat(delta.digestBytes()).isPositive();
    }

    @Test
    void trackedIsRefusedWhenTheGenerationsDiffer() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(5));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        Path a = map(dir.resolve("a.map"), SIZE, UUID.randomUUID(), 0);
        Path b = map(dir.resolve("b.map"), SIZE, UUID.randomUUID(), 1);
        String before = TestingImages.sha256(target);

        assertRefused(() -> sync(SyncMode.TRACKED, source, target, List.of(a, b), Optional.empty()),
                SyncError.SYNC_TRACKED_GENERATION_MISMATCH);
        assertRefused(() -> sync(SyncMode.TRACKED, source, target, List.of(a), Optional.of(UUID.randomUUID())),
                SyncError.SYNC_TRACKED_GENERATION_MISMATCH);
        assertThat(TestingImages.sha256(target)).as("a refused sync writes nothing").isEqualTo(before);
    }

    @Test
    void trackedIsRefusedForAMissingDamagedOrMisfittingMap() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(6));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        UUID generation = UUID.randomUUID();
        Path damaged = map(dir.resolve("d.map"), SIZE, generation, 3);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(damaged, bytes);
        Path otherSize = map(dir.resolve("o.map"), SIZE + BLOCK, generation, 3);

        assertRefused(() -> sync(SyncMode.TRACKED, source, target, List.of(dir.resolve("lost.map")), Optional.empty()),
                SyncError.SYNC_TRACKED_MAP_MISSING);
        assertRefused(() -> sync(SyncMode.TRACKED, source, target, List.of(damaged), Optional.empty()),
                SyncError.SYNC_TRACKED_MAP_DAMAGED);
        assertRefused(() -> sync(SyncMode.TRACKED, source, target, List.of(otherSize), Optional.empty()),
                SyncError.SYNC_TRACKED_GEOMETRY_MISMATCH);
        assertRefused(() -> sync(SyncMode.TRACKED, source, target, List.of(), Optional.empty()),
                SyncError.SYNC_TRACKED_NO_CHANGE_MAPS);
    }

    @Test
    void trackedReadsOnlyTheMarkedBlocks() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(7));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        Corruption.flipByte(source, 3L * BLOCK + 5);
        UUID generation = UUID.randomUUID();
        Path m = map(dir.resolve("m.map"), SIZE, generation, 3);
        SyncReport report = sync(SyncMode.TRACKED, source, target, List.of(m), Optional.of(generation));
        assertThat(report.sourceBytesRead()).isEqualTo(BLOCK);
        assertThat(report.targetBytesRead()).isZero();
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
    }

    @Test
    void fullSyncKeepsHolesAsHolesAndOverwritesGarbage() throws IOException {
        Path source = dir.resolve("s.img");
        try (RawFileBlockDevice s = RawFileBlockDevice.create(source, SIZE)) {
            s.write(BLOCK, ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
            s.write(SIZE - 10, ByteBuffer.wrap(new byte[10]).put(0, (byte) 5), false);
            s.flush();
        }
        Path target = TestingImages.randomImage(dir.resolve("t.img"), SIZE, new Random(8));
        SyncReport full = sync(SyncMode.FULL, source, target, List.of(), Optional.empty());
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
        assertThat(full.blocksChanged()).isEqualTo(2);
        assertThat(full.bytesSent()).isEqualTo(BLOCK + (SIZE - (SIZE / BLOCK) * BLOCK));
        try (RawFileBlockDevice t = RawFileBlockDevice.open(target, true)) {
            long allocated = t.allocation(0, SIZE).stream().filter(e -> !e.hole()).mapToLong(Extent::length).sum();
            assertThat(allocated).as("the target's allocated bytes").isLessThanOrEqualTo(2L * BLOCK);
        }
    }

    @Test
    void aFullSyncCreatesAMissingTargetFile() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(9));
        Path target = dir.resolve("new.img");
        try (SyncDisk s = TestingSyncDisks.open(source.toString(), false, 0);
             SyncDisk t = TestingSyncDisks.open(target.toString(), true, SIZE)) {
            engine.run(SyncRequest.of(SyncMode.FULL, s, t));
        }
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
    }

    @Test
    void disksOfDifferentSizesAreRefused() throws IOException {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(10));
        Path target = TestingImages.randomImage(dir.resolve("t.img"), SIZE + 1, new Random(10));
        assertRefused(() -> sync(SyncMode.DELTA, source, target, List.of(), Optional.empty()), SyncError.SYNC_SIZE_MISMATCH);
    }

    @Test
    void deltaAndVerifyOverNbdAgainstQemuNbd() throws Exception {
        // qemu-nbd exports whole 512-byte sectors: an odd size that is still not a multiple of the block size.
        long size = 4L * 1024 * 1024 + 3 * 512;
        Path source = TestingImages.randomImage(dir.resolve("s.img"), size, new Random(11));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        Corruption.flipByte(target, 100_000);
        Corruption.flipByte(target, size - 3);
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(target, "disk0", false)) {
            String uri = server.uri().toString();
            SyncReport delta;
            SyncReport verify;
            try (SyncDisk s = TestingSyncDisks.open(source.toString(), false, 0);
                 SyncDisk t = TestingSyncDisks.open(uri, true, 0)) {
                delta = engine.run(SyncRequest.of(SyncMode.DELTA, s, t));
                verify = engine.run(SyncRequest.of(SyncMode.VERIFY, s, t));
            }
            assertThat(delta.blocksChanged() + delta.blocksZeroed()).isEqualTo(2);
            assertThat(delta.targetBytesRead()).isEqualTo(size);
            assertThat(delta.notes()).anyMatch(n -> n.contains("read over the wire (NBD)"));
            assertThat(verify.identical()).isTrue();
        }
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
    }

    @Test
    void fullSyncFromASparseNbdSourceReadsOnlyItsData() throws Exception {
        long size = 32L * 1024 * 1024;
        Path source = dir.resolve("sparse.img");
        try (RawFileBlockDevice s = RawFileBlockDevice.create(source, size)) {
            byte[] data = new byte[3 * BLOCK];
            new Random(12).nextBytes(data);
            s.write(20L * BLOCK, ByteBuffer.wrap(data), false);
            s.flush();
        }
        Path target = TestingImages.randomImage(dir.resolve("t.img"), size, new Random(13));
        SyncReport full;
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(source, "disk0", true);
             SyncDisk s = TestingSyncDisks.open(server.uri().toString(), false, 0);
             SyncDisk t = TestingSyncDisks.open(target.toString(), true, 0)) {
            full = engine.run(SyncRequest.of(SyncMode.FULL, s, t));
        }
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
        assertThat(full.sourceBytesRead()).as("only the data extents cross the wire").isLessThanOrEqualTo(4L * 1024 * 1024);
        assertThat(full.blocksChanged()).isEqualTo(3);
    }

    @Test
    void deltaIntoAnExportOfBoomerangsOwnNbdServer() throws Exception {
        Path source = TestingImages.randomImage(dir.resolve("s.img"), SIZE, new Random(14));
        Path target = TestingImages.copy(source, dir.resolve("t.img"));
        Corruption.flipByte(target, 3L * BLOCK + 1);
        Corruption.flipByte(target, SIZE - 1);
        try (RawFileBlockDevice exported = RawFileBlockDevice.open(target, false);
             org.boomerang.nbd.server.NbdServer server = org.boomerang.nbd.server.NbdServer.builder()
                     .bind(java.net.InetAddress.getLoopbackAddress(), 0).export("disk0", exported).build().start()) {
            String uri = "nbd://127.0.0.1:" + server.port() + "/disk0";
            try (SyncDisk s = TestingSyncDisks.open(source.toString(), false, 0);
                 SyncDisk t = TestingSyncDisks.open(uri, true, 0)) {
                SyncReport delta = engine.run(SyncRequest.of(SyncMode.DELTA, s, t));
                assertThat(delta.blocksChanged() + delta.blocksZeroed()).isEqualTo(2);
                assertThat(engine.run(SyncRequest.of(SyncMode.VERIFY, s, t)).identical()).isTrue();
            }
        }
        assertThat(TestingImages.sha256(target)).isEqualTo(TestingImages.sha256(source));
    }

    @Test
    void fullSyncFromNbdkitIntoAFile() throws Exception {
        try (TestingNbdServer server = TestingNbdServer.nbdkit("pattern", Long.toString(SIZE))) {
            Path target = dir.resolve("copy.img");
            try (SyncDisk s = TestingSyncDisks.open(server.uri().toString(), false, 0);
                 SyncDisk t = TestingSyncDisks.open(target.toString(), true, SIZE)) {
                engine.run(SyncRequest.of(SyncMode.FULL, s, t));
            }
            // nbdkit's pattern plugin: each 8-byte word holds its own big-endian offset.
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(target));
            for (long word = 0; word + 8 <= SIZE; word += 8) {
                assertThat(bytes.getLong((int) word)).isEqualTo(word);
            }
        }
    }

    private SyncReport sync(SyncMode mode, Path source, Path target, List<Path> maps, Optional<UUID> generation) throws IOException {
        try (RawFileBlockDevice s = RawFileBlockDevice.open(source, true);
             RawFileBlockDevice t = RawFileBlockDevice.open(target, mode == SyncMode.VERIFY)) {
            return engine.run(new SyncRequest(mode, new SyncDisk(s, "source", false), new SyncDisk(t, "target", false),
                    maps, generation));
        }
    }

    private static Path map(Path file, long size, UUID generation, long block) throws IOException {
        ChangeMap m = new ChangeMap(size, ChangeMap.DEFAULT_BLOCK_SIZE, generation);
        m.markBlock(block);
        m.writeTo(file);
        return file;
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, SyncError code) {
        assertThatThrownBy(call).isInstanceOf(SyncException.class)
                .satisfies(e -> assertThat(((SyncException) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(((SyncException) e).hint()).isNotEmpty());
    }
}
