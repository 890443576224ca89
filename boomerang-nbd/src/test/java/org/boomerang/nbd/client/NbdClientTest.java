package org.boomerang.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against real servers: qemu-nbd over an image file and nbdkit's memory plugin. */
class NbdClientTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void writesLandInTheImageFileQemuNbdServes() throws Exception {
        Path image = sparseImage("a.img", 40L * MIB + 512);
        Random random = new Random(7);
        byte[] expected = new byte[40 * MIB + 512];
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(image, "disk0", false);
             NbdBlockDevice device = NbdBlockDevice.open(server.uri())) {
            assertThat(device.size()).isEqualTo(expected.length);
            assertThat(device.isReadOnly()).isFalse();
            // Odd offsets and lengths, one write larger than the 32 MiB payload cap (split and pipelined).
            long[][] writes = {{0, 1}, {4095, 2}, {65535, 70000}, {MIB - 3, 33 * MIB + 7}, {expected.length - 100L, 100}};
            for (long[] w : writes) {
                byte[] data = new byte[(int) w[1]];
                random.nextBytes(data);
                System.arraycopy(data, 0, expected, (int) w[0], data.length);
                device.write(w[0], ByteBuffer.wrap(data), false);
            }
            device.flush();
            assertThat(Files.readAllBytes(image)).isEqualTo(expected);

            ByteBuffer back = ByteBuffer.allocateDirect(expected.length);
            device.read(0, back);
            back.flip();
            byte[] read = new byte[expected.length];
            back.get(read);
            assertThat(read).isEqualTo(expected);
        }
    }

    @Test
    void trimAndWriteZeroesReadBackAsZeroes() throws Exception {
        Path image = sparseImage("z.img", 8L * MIB);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            byte[] ones = new byte[8 * MIB];
            Arrays.fill(ones, (byte) 1);
            f.write(ones);
        }
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(image, "disk0", false);
             NbdBlockDevice device = NbdBlockDevice.open(server.uri())) {
            device.trim(MIB, 3L * MIB);
            device.writeZeroes(5L * MIB + 17, 1000, false, true);
            device.flush();
        }
        byte[] bytes = Files.readAllBytes(image);
        for (int i = 0; i < bytes.length; i++) {
            boolean zero = (i >= MIB && i < 4 * MIB) || (i >= 5 * MIB + 17 && i < 5 * MIB + 1017);
            if (bytes[i] != (zero ? 0 : 1)) {
                throw new AssertionError("byte " + i + " is " + bytes[i] + ", expected " + (zero ? 0 : 1));
            }
        }
    }

    @Test
    void manyThreadsShareOneConnectionAgainstNbdkit() throws Exception {
        int size = 16 * MIB;
        try (TestingNbdServer server = TestingNbdServer.nbdkit("memory", Integer.toString(size));
             NbdBlockDevice device = NbdBlockDevice.open(server.uri())) {
            assertThat(device.size()).isEqualTo(size);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int slice = t;
                done.add(pool.submit(() -> {
                    byte[] data = new byte[2 * MIB];
                    Arrays.fill(data, (byte) (slice + 1));
                    device.write((long) slice * 2 * MIB, ByteBuffer.wrap(data), false);
                    ByteBuffer back = ByteBuffer.allocate(2 * MIB);
                    device.read((long) slice * 2 * MIB, back);
                    assertThat(back.array()).isEqualTo(data);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            ByteBuffer whole = ByteBuffer.allocate(size);
            device.read(0, whole);
            for (int i = 0; i < size; i++) {
                assertThat(whole.get(i)).isEqualTo((byte) (i / (2 * MIB) + 1));
            }
        }
    }

    @Test
    void allocationComesFromBlockStatusOfQemuNbd() throws Exception {
        Path image = sparseImage("s.img", 16L * MIB);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(4L * MIB);
            f.write(new byte[MIB]);          // written zeroes: allocated
            byte[] data = new byte[2 * MIB];
            Arrays.fill(data, (byte) 7);
            f.seek(10L * MIB);
            f.write(data);
            f.getFD().sync();
        }
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(image, "disk0", true);
             NbdBlockDevice device = NbdBlockDevice.open(server.uri())) {
            List<org.boomerang.blockdev.Extent> extents = device.allocation(0, 16L * MIB);
            assertThat(extents.getFirst().offset()).isZero();
            assertThat(extents.getLast().end()).isEqualTo(16L * MIB);
            for (int i = 1; i < extents.size(); i++) {
                assertThat(extents.get(i).offset()).isEqualTo(extents.get(i - 1).end());
            }
            // The data range is never reported zero; never-written ranges are holes; the written zeroes
            // at 4 MiB may be reported either way (the server need not look at the bytes).
            for (org.boomerang.blockdev.Extent e : extents) {
                boolean overlapsData = e.offset() < 12L * MIB && e.end() > 10L * MIB;
                boolean overlapsWrittenZeroes = e.offset() < 5L * MIB && e.end() > 4L * MIB;
                if (overlapsData) {
                    assertThat(e.zero()).as("%s", e).isFalse();
                } else if (!overlapsWrittenZeroes) {
                    assertThat(e.hole()).as("%s", e).isTrue();
                }
            }
            assertThat(extents).anyMatch(e -> e.hole() && e.offset() == 0);
            // Reads over holes arrive as structured hole chunks and still read as zeroes.
            ByteBuffer buf = ByteBuffer.allocate(12 * MIB);
            device.read(MIB, buf);
            for (int i = 0; i < buf.capacity(); i++) {
                int expected = i >= 9 * MIB && i < 11 * MIB ? 7 : 0;
                if (buf.get(i) != expected) {
                    throw new AssertionError("byte " + (MIB + i) + " is " + buf.get(i));
                }
            }
        }
    }

    @Test
    void aServerErrorFailsThatRequestOnlyAndTheConnectionGoesOn() throws Exception {
        // nbdkit's error filter fails every read with EIO; writes still work.
        try (TestingNbdServer server = TestingNbdServer.nbdkit("--filter=error", "memory", "1M", "error-pread=EIO",
                "error-pread-rate=100%");
             NbdBlockDevice device = NbdBlockDevice.open(server.uri())) {
            assertThatThrownBy(() -> device.read(0, ByteBuffer.allocate(4096)))
                    .isInstanceOf(NbdClientException.class)
                    .satisfies(e -> assertThat(((NbdClientException) e).code()).isEqualTo(NbdClientError.NBD_CLIENT_REQUEST_FAILED))
                    .hasMessageContaining("READ at offset 0")
                    .hasMessageContaining("errno 5");
            device.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
            device.flush();
        }
    }

    @Test
    void anUnknownExportIsRefusedWithItsCode() throws Exception {
        Path image = sparseImage("u.img", MIB);
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(image, "disk0", false)) {
            assertThatThrownBy(() -> NbdBlockDevice.open(server.uri("nope")))
                    .isInstanceOf(NbdClientException.class)
                    .extracting(e -> ((NbdClientException) e).code())
                    .isEqualTo(NbdClientError.NBD_CLIENT_EXPORT_NOT_FOUND);
        }
    }

    @Test
    void aReadOnlyExportRefusesWrites() throws Exception {
        Path image = sparseImage("r.img", MIB);
        try (TestingNbdServer server = TestingNbdServer.qemuNbd(image, "disk0", true);
             NbdBlockDevice device = NbdBlockDevice.open(server.uri())) {
            assertThat(device.isReadOnly()).isTrue();
            assertThatThrownBy(() -> device.write(0, ByteBuffer.allocate(512), false))
                    .isInstanceOf(NbdClientException.class)
                    .extracting(e -> ((NbdClientException) e).code())
                    .isEqualTo(NbdClientError.NBD_CLIENT_READ_ONLY);
        }
    }

    @Test
    void nothingListeningIsAConnectError() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NbdUri uri = new NbdUri("127.0.0.1", port, "x");
        assertThatThrownBy(() -> NbdClient.connect(uri))
                .isInstanceOf(NbdClientException.class)
                .extracting(e -> ((NbdClientException) e).code())
                .isEqualTo(NbdClientError.NBD_CLIENT_CONNECT_FAILED);
    }

    @Test
    void urisParseLikeQemuWritesThem() {
        assertThat(NbdUri.parse("nbd://127.0.0.1:10810/disk0")).isEqualTo(new NbdUri("127.0.0.1", 10810, "disk0"));
        assertThat(NbdUri.parse("nbd://localhost")).isEqualTo(new NbdUri("localhost", 10809, ""));
        assertThat(NbdUri.parse("nbd://h:1/a%20b")).isEqualTo(new NbdUri("h", 1, "a b"));
        assertThat(NbdUri.isNbd("/tmp/disk.img")).isFalse();
        assertThatThrownBy(() -> NbdUri.parse("http://x/y")).isInstanceOf(NbdClientException.class);
    }

    private Path sparseImage(String name, long size) throws IOException {
        Path image = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size);
        }
        return image;
    }
}
