package org.boomerang.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.Clock;
import org.boomerang.nbd.client.NbdUri;
import org.boomerang.nbd.server.NbdServer;
import org.boomerang.provider.lab.SampleEstate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest workload, the disk digest and the filesystem check against a real NBD export (the
 * in-tree {@link NbdServer} over a sample disk's image with its real ext4 filesystem): the workload
 * writes only the second half, what it says it acknowledged is exactly what the disk holds, the
 * barrier stops writes, the filesystem stays clean with its files, and the checks catch damage.
 */
class GuestWorkloadTest {
    private static final long SIZE = 32L << 20;

    @TempDir
    Path dir;

    private SampleEstate.SampleDisk seed(String disk) {
        return SampleEstate.seed(dir.resolve("estate"), SIZE, Clock.SYSTEM).disk(disk).orElseThrow();
    }

    @Test
    void whatTheWorkloadAcknowledgedIsWhatTheDiskHoldsAndTheFilesystemStaysClean() throws Exception {
        SampleEstate.SampleDisk disk = seed("lin1-disk0");
        Path image = dir.resolve("estate").resolve(disk.image());
        byte[] firstHalf = Arrays.copyOf(Files.readAllBytes(image), (int) (SIZE / 2));
        try (RawFileBlockDevice device = RawFileBlockDevice.open(image, false);
             NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("lin1-disk0", device).build().start()) {
            NbdUri uri = new NbdUri("127.0.0.1", server.port(), "lin1-disk0");
            try (GuestWorkload w = GuestWorkload.start(uri, SIZE, new GuestWorkload.Settings(0, 42))) {
                assertThat(w.regionStart()).isEqualTo(SIZE / 2);
                w.awaitWrites(300, 60_000);
                GuestWorkload.Acknowledged paused = w.pause();
                assertThat(paused.error()).isEmpty();
                assertThat(paused.flushed()).isTrue();
                assertThat(paused.count()).isGreaterThanOrEqualTo(300);
                assertThat(paused.writes()).allSatisfy(x -> {
                    assertThat(x.offset()).isGreaterThanOrEqualTo(SIZE / 2);
                    assertThat(x.offset() + x.length()).isLessThanOrEqualTo(SIZE);
                    assertThat(x.offset() % GuestWorkload.SECTOR).isZero();
                    assertThat(x.length()).isBetween(GuestWorkload.MIN_WRITE, GuestWorkload.MAX_WRITE);
                });
                assertThat(paused.writes().stream().mapToInt(GuestWorkload.Write::length).distinct().count()).as("sizes vary").isGreaterThan(4);
                assertThat(paused.bytes()).isEqualTo(paused.writes().stream().mapToLong(GuestWorkload.Write::length).sum());

                String atBarrier = DiskDigest.sha256(image);
                assertThat(secondHalf(image)).as("the disk holds exactly the acknowledged writes, in order").isEqualTo(replay(paused, 42));
                assertThat(Arrays.copyOf(Files.readAllBytes(image), (int) (SIZE / 2))).as("the filesystem half is untouched").isEqualTo(firstHalf);
                assertThat(DiskDigest.sha256(uri, done -> {})).as("through NBD as from the file").isEqualTo(atBarrier);

                FilesystemCheck.Result fs = FilesystemCheck.overNbd(uri, disk.fs().orElseThrow(), dir);
                assertThat(fs.problems()).isEmpty();
                assertThat(fs.fsckExit()).isZero();
                assertThat(fs.found()).isEqualTo(disk.fs().orElseThrow().files());
                assertThat(w.acknowledged().count()).as("nothing is written while paused").isEqualTo(paused.count());
                assertThat(DiskDigest.sha256(image)).isEqualTo(atBarrier);

                w.resume();
                GuestWorkload.Acknowledged more = w.awaitWrites(paused.count() + 50, 60_000);
                assertThat(more.count()).isGreaterThanOrEqualTo(paused.count() + 50);
                assertThat(more.writes().subList(0, (int) paused.count())).isEqualTo(paused.writes());
                assertThat(w.pause().count()).isGreaterThanOrEqualTo(more.count());
                assertThat(secondHalf(image)).isEqualTo(replay(w.acknowledged(), 42));
            }
        }
    }

    @Test
    void aWriteThatFailsStopsTheWorkloadAndSaysWhy() throws Exception {
        Path image = dir.resolve("plain.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        try (RawFileBlockDevice device = RawFileBlockDevice.open(image, false);
             NbdServer server = NbdServer.builder().bind(InetAddress.getLoopbackAddress(), 0).export("d", device).build().start();
             GuestWorkload w = GuestWorkload.start(new NbdUri("127.0.0.1", server.port(), "d"), SIZE, new GuestWorkload.Settings(0, 7))) {
            w.awaitWrites(20, 60_000);
            server.removeExport("d");
            GuestWorkload.Acknowledged end = w.awaitWrites(Long.MAX_VALUE, 60_000);
            assertThat(w.running()).isFalse();
            assertThat(end.error()).isPresent();
            assertThat(w.pause().count()).as("a stopped workload's barrier returns at once").isEqualTo(end.count());
        }
    }

    @Test
    void theFilesystemCheckFindsACorruptSuperblockAndAMissingFile() throws Exception {
        SampleEstate.SampleDisk disk = seed("phys1-disk0");
        Path image = dir.resolve("estate").resolve(disk.image());
        SampleEstate.Filesystem fs = disk.fs().orElseThrow();
        assertThat(FilesystemCheck.ofImage(image, fs).passed()).isTrue();

        Process rm = new ProcessBuilder(org.boomerang.provider.lab.GuestFilesystem.find("debugfs").orElseThrow().toString(), "-w", "-R", "rm /etc/hostname", image.toString()).redirectErrorStream(true).start();
        rm.getInputStream().readAllBytes();
        assertThat(rm.waitFor()).isZero();
        FilesystemCheck.Result missing = FilesystemCheck.ofImage(image, fs);
        assertThat(missing.passed()).isFalse();
        assertThat(missing.problems()).singleElement().asString().contains("/etc/hostname");

        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(1024 + 56); // the superblock's magic number
            f.write(new byte[] {0, 0});
        }
        FilesystemCheck.Result broken = FilesystemCheck.ofImage(image, fs);
        assertThat(broken.fsckExit()).isNotZero();
        assertThat(broken.problems()).anySatisfy(p -> assertThat(p).startsWith("e2fsck -fn exited"));
    }

    @Test
    void aFilesystemRegionThatDoesNotStartTheFileIsRefused() {
        assertThatThrownBy(() -> FilesystemCheck.ofImage(dir.resolve("x.img"), new SampleEstate.Filesystem("ext4", 4096, SIZE / 2, java.util.Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("copy its region");
    }

    private static byte[] secondHalf(Path image) throws Exception {
        byte[] all = Files.readAllBytes(image);
        return Arrays.copyOfRange(all, (int) (SIZE / 2), (int) SIZE);
    }

    private static byte[] replay(GuestWorkload.Acknowledged ack, long seed) {
        byte[] half = new byte[(int) (SIZE / 2)];
        for (GuestWorkload.Write w : ack.writes()) {
            ByteBuffer b = GuestWorkload.content(seed, w);
            b.get(half, (int) (w.offset() - SIZE / 2), w.length());
        }
        return half;
    }
}
