package org.boomerang.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.common.SyncMode;

/**
 * Random divergence patterns on both sides of a disk whose size is not a multiple of the block size:
 * after delta, tracked and full sync the target's SHA-256 equals the source's, tracked gives the same
 * disk as delta, delta sends no more than the changed blocks, and verify then finds nothing.
 */
class SyncPropertiesTest {
    @Property(tries = 25)
    void everyModeMakesTheDisksIdentical(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int changes) throws Exception {
        Path dir = Files.createTempDirectory("sync-prop");
        try {
            run(dir, seed, changes);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(Path dir, long seed, int changes) throws IOException {
        Random random = new Random(seed);
        long size = 3L * Divergence.BLOCK * 16 + 1 + random.nextInt(Divergence.BLOCK - 1); // 3 MiB and an odd tail
        Path base = TestingImages.randomImage(dir.resolve("base.img"), size, random);
        Path source = TestingImages.copy(base, dir.resolve("source.img"));
        Path forDelta = TestingImages.copy(base, dir.resolve("delta.img"));
        UUID generation = UUID.randomUUID();
        ChangeMap primary = new ChangeMap(size, ChangeMap.DEFAULT_BLOCK_SIZE, generation);
        ChangeMap overlay = new ChangeMap(size, ChangeMap.DEFAULT_BLOCK_SIZE, generation);
        Divergence divergence = new Divergence(random);
        try (RawFileBlockDevice s = RawFileBlockDevice.open(source, false);
             RawFileBlockDevice t = RawFileBlockDevice.open(forDelta, false)) {
            divergence.apply(s, primary, changes);
            divergence.apply(t, overlay, 1 + random.nextInt(changes));
        }
        Path forTracked = TestingImages.copy(forDelta, dir.resolve("tracked.img"));
        Path forFull = TestingImages.copy(forDelta, dir.resolve("full.img"));
        primary.writeTo(dir.resolve("primary.map"));
        overlay.writeTo(dir.resolve("overlay.map"));
        String expected = TestingImages.sha256(source);

        try (SyncEngine engine = new SyncEngine(SyncOptions.defaults(), Clock.SYSTEM)) {
            SyncReport delta = sync(engine, SyncMode.DELTA, source, forDelta, List.of());
            assertThat(TestingImages.sha256(forDelta)).isEqualTo(expected);
            ChangeMap union = new ChangeMap(size, ChangeMap.DEFAULT_BLOCK_SIZE, generation);
            union.addAll(primary);
            union.addAll(overlay);
            assertThat(delta.blocksChanged() + delta.blocksZeroed()).isLessThanOrEqualTo(union.markedCount());
            assertThat(delta.bytesSent()).isLessThanOrEqualTo(union.markedBytes());

            SyncReport tracked = sync(engine, SyncMode.TRACKED, source, forTracked,
                    List.of(dir.resolve("primary.map"), dir.resolve("overlay.map")));
            assertThat(TestingImages.sha256(forTracked)).isEqualTo(expected).isEqualTo(TestingImages.sha256(forDelta));
            assertThat(tracked.targetBytesRead()).isZero();
            assertThat(tracked.sourceBytesRead()).isEqualTo(union.markedBytes());

            sync(engine, SyncMode.FULL, source, forFull, List.of());
            assertThat(TestingImages.sha256(forFull)).isEqualTo(expected);

            for (Path synced : List.of(forDelta, forTracked, forFull)) {
                SyncReport verify = sync(engine, SyncMode.VERIFY, source, synced, List.of());
                assertThat(verify.identical()).as("verify of %s", synced).isTrue();
            }
        }
    }

    private static SyncReport sync(SyncEngine engine, SyncMode mode, Path source, Path target, List<Path> maps) throws IOException {
        try (RawFileBlockDevice s = RawFileBlockDevice.open(source, true);
             RawFileBlockDevice t = RawFileBlockDevice.open(target, mode == SyncMode.VERIFY)) {
            return engine.run(new SyncRequest(mode, new SyncDisk(s, "source", false), new SyncDisk(t, "target", false),
                    maps, Optional.empty()));
        }
    }
}
