package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.nbd.server.NbdServer;
import org.boomerang.provider.lab.SampleEstate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill's sampled verification ({@code --verify sampled}) on real sample disks through the in-tree
 * NBD server: the ranges cover the seeded filesystem, the workload's writes and the probes; equal disks
 * digest equal; a change inside a written range or a probe is seen, and the filesystem check over the
 * seeded extents passes on a good disk and fails on a damaged one.
 */
class DrillSampleTest {
    private static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void rangesAreMergedSortedAndClippedToTheDisk() {
        long size = 1L << 30; // a probe of 1 MiB every 4 MiB
        List<ByteRange> r = DrillSample.ranges(size, List.of(new ByteRange(0, 3L << 20)),
                List.of(new ByteRange((42L << 20) + 4096, 8192), new ByteRange((42L << 20) + 8192, 8192),
                        new ByteRange(size - 4096, 1L << 20)));
        assertThat(r).isSortedAccordingTo(java.util.Comparator.comparingLong(ByteRange::offset));
        for (int i = 1; i < r.size(); i++) {
            assertThat(r.get(i).offset()).as("merged: no overlap or contact").isGreaterThan(r.get(i - 1).end());
        }
        assertThat(r.getFirst()).as("the seeded range and the first probe").isEqualTo(new ByteRange(0, 3L << 20));
        assertThat(r).contains(new ByteRange(4L << 20, 1L << 20), new ByteRange((42L << 20) + 4096, 12288));
        assertThat(r.getLast()).as("clipped to the disk").isEqualTo(new ByteRange(size - 4096, 4096));
        assertThat(DrillSample.bytes(r)).isEqualTo((3L << 20) + 255L * (1 << 20) + 12288 + 4096);
        // 64 MiB / 256 probes: every MiB is a probe, so the whole disk is covered
        assertThat(DrillSample.ranges(SIZE, List.of(), List.of())).containsExactly(new ByteRange(0, SIZE));
        List<ByteRange> big = DrillSample.ranges(64L << 30, List.of(), List.of());
        assertThat(big).hasSize(DrillSample.PROBES);
        assertThat(DrillSample.bytes(big)).isEqualTo((long) DrillSample.PROBES * DrillSample.PROBE);
    }

    @Test
    void equalDisksDigestEqualAndAChangeInASampledRangeIsSeen() throws Exception {
        SampleEstate.Manifest m = SampleEstate.seed(dir.resolve("estate"), SIZE, Clock.SYSTEM);
        SampleEstate.SampleDisk lin1 = m.disk("lin1-disk0").orElseThrow();
        Path source = dir.resolve("estate").resolve(lin1.image());
        Path copy = dir.resolve("copy.img");
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        List<ByteRange> seeded = DrillSample.seeded(source);
        assertThat(seeded).as("the seeded filesystem's data extents").isNotEmpty();
        assertThat(seeded.getFirst().offset()).isZero();
        long written = (48L << 20) + 12288; // in the workload's half, between two probes of a bigger disk
        List<ByteRange> ranges = DrillSample.ranges(16L << 30, seeded, List.of(new ByteRange(written, 4096)));
        try (RawFileBlockDevice a = RawFileBlockDevice.open(source, false);
             RawFileBlockDevice b = RawFileBlockDevice.open(copy, false);
             NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("a", a).export("b", b).build().start()) {
            NbdUri ua = new NbdUri("127.0.0.1", server.port(), "a");
            NbdUri ub = new NbdUri("127.0.0.1", server.port(), "b");
            List<ByteRange> onDisk = DrillSample.ranges(SIZE, seeded, List.of(new ByteRange(written, 4096)));
            assertThat(DrillSample.sha256(ub, onDisk)).isEqualTo(DrillSample.sha256(ua, onDisk));
            assertThat(ranges).as("the ranges of a 16 GiB disk do not cover a 64 MiB one whole").isNotEqualTo(onDisk);

            List<ByteRange> sparse = DrillSample.ranges(16L << 30, seeded, List.of(new ByteRange(written, 4096)))
                    .stream().filter(r -> r.end() <= SIZE).toList();
            String before = DrillSample.sha256(ub, sparse);
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.seek(written + 100);
                f.write(0x5a);
            }
            assertThat(DrillSample.sha256(ub, sparse)).as("a byte changed in a written range").isNotEqualTo(before);
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.seek(written + 100);
                f.write(0);
                f.seek(written + 8192); // outside every range of `sparse`
                f.write(0x5a);
            }
            assertThat(DrillSample.sha256(ub, sparse)).as("what lies outside the ranges is not read").isEqualTo(before);

            FilesystemCheck.Result good = DrillSample.filesystem(ua, lin1.fs().orElseThrow(), seeded, dir);
            assertThat(good.passed()).as(good.problems().toString()).isTrue();
            assertThat(good.found()).hasSize(lin1.fs().orElseThrow().files().size());
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.seek(1024 + 56); // the superblock's magic number
                f.write(new byte[] {0, 0});
            }
            assertThat(DrillSample.filesystem(ub, lin1.fs().orElseThrow(), seeded, dir).passed()).isFalse();
        }
    }
}
