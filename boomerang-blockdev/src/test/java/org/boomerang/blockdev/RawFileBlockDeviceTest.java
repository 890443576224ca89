package org.boomerang.blockdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawFileBlockDeviceTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackUnalignedBytes() throws Exception {
        try (RawFileBlockDevice dev = RawFileBlockDevice.create(dir.resolve("d.img"), 8 * MIB)) {
            dev.write(1000, ByteBuffer.wrap("hello, disk".getBytes()), false);
            ByteBuffer back = ByteBuffer.allocate(11);
            dev.read(1000, back);
            assertThat(new String(back.array())).isEqualTo("hello, disk");
            assertThat(dev.size()).isEqualTo(8 * MIB);
        }
    }

    @Test
    void trimPunchesAHoleThatReadsAsZeroes() throws Exception {
        try (RawFileBlockDevice dev = RawFileBlockDevice.create(dir.resolve("d.img"), 8 * MIB)) {
            ByteBuffer ones = ByteBuffer.allocate(4 * MIB);
            while (ones.hasRemaining()) {
                ones.put((byte) 1);
            }
            dev.write(0, ones.flip(), true);
            dev.trim(MIB, 2 * MIB);
            ByteBuffer back = ByteBuffer.allocate(2 * MIB);
            dev.read(MIB, back);
            assertThat(back.array()).containsOnly(0);
            List<Extent> map = dev.allocation(0, 8 * MIB);
            assertThat(map.getFirst()).isEqualTo(Extent.data(0, MIB));
            if (dev.releasesSpaceOnTrim()) {
                assertThat(map).contains(Extent.hole(MIB, 2 * MIB), Extent.hole(4 * MIB, 4 * MIB));
            }
            assertThat(map.stream().mapToLong(Extent::length).sum()).isEqualTo(8 * MIB);
        }
    }

    @Test
    void writeZeroesWithoutUnmapKeepsDataReadingZero() throws Exception {
        try (RawFileBlockDevice dev = RawFileBlockDevice.create(dir.resolve("d.img"), MIB)) {
            dev.write(0, ByteBuffer.wrap(new byte[] {9, 9, 9, 9}), false);
            dev.writeZeroes(1, 2, false, true);
            ByteBuffer back = ByteBuffer.allocate(4);
            dev.read(0, back);
            assertThat(back.array()).containsExactly(9, 0, 0, 9);
        }
    }

    @Test
    void transferToSendsExactlyTheRangeThroughANonBlockingSocketAndPadsAShortenedFile() throws Exception {
        byte[] content = new byte[8 * MIB];
        new Random(7).nextBytes(content);
        Path image = dir.resolve("d.img");
        try (RawFileBlockDevice dev = RawFileBlockDevice.create(image, 8 * MIB);
                ServerSocketChannel listener = ServerSocketChannel.open()) {
            dev.write(0, ByteBuffer.wrap(content), false);
            assertThat(dev.canTransfer()).isTrue();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel reader = SocketChannel.open(listener.getLocalAddress()); SocketChannel target = listener.accept()) {
                // A non-blocking target with a small buffer makes sendfile stop short again and again.
                target.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
                target.configureBlocking(false);
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(reader, 5 * MIB + 3));
                dev.transferTo(MIB + 3, 3 * MIB, target);
                try (FileChannel shrink = FileChannel.open(image, StandardOpenOption.WRITE)) {
                    shrink.truncate(6 * MIB); // shortened under the device: the rest must read as zeroes
                }
                dev.transferTo(5 * MIB, 2 * MIB + 3, target);
                byte[] expected = new byte[5 * MIB + 3];
                System.arraycopy(content, MIB + 3, expected, 0, 3 * MIB);
                System.arraycopy(content, 5 * MIB, expected, 3 * MIB, MIB);
                assertThat(Arrays.equals(received.get(30, TimeUnit.SECONDS), expected)).as("bytes received equal the ranges sent").isTrue();
            }
            assertThatThrownBy(() -> dev.transferTo(7 * MIB, 2 * MIB, null))
                    .isInstanceOfSatisfying(BlockDeviceException.class,
                            e -> assertThat(e.code()).isEqualTo(BlockDeviceError.OUT_OF_RANGE));
        }
    }

    @Test
    void inMemoryTellsWhetherARangeIsInThePageCacheAndPrefetchBringsItIn() throws Exception {
        Path image = dir.resolve("d.img");
        try (RawFileBlockDevice dev = RawFileBlockDevice.create(image, 8 * MIB)) {
            byte[] content = new byte[4 * MIB];
            new Random(13).nextBytes(content);
            dev.write(0, ByteBuffer.wrap(content), false);
            assertThat(dev.inMemory(0, 4 * MIB)).as("just written").isTrue();
            dev.flush();
            PageCache.drop(image);
            assertThat(dev.inMemory(MIB + 1, 3)).as("after dropping the file's clean pages (dd iflag=nocache)").isFalse();
            assertThat(dev.inMemory(0, 4 * MIB)).isFalse();
            dev.read(MIB, ByteBuffer.allocateDirect(MIB)); // the read brings [1 MiB, 2 MiB) back
            assertThat(dev.inMemory(MIB + 4096, MIB - 4096)).isTrue();
            assertThat(dev.inMemory(MIB - 1, 2)).as("one page of the two is still out").isFalse();
            dev.prefetch(2 * MIB, 2 * MIB); // returns at once; the pages arrive in the background
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!dev.inMemory(2 * MIB, 2 * MIB) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(dev.inMemory(2 * MIB, 2 * MIB)).as("prefetched").isTrue();
            assertThat(dev.inMemory(0, 4096)).as("not prefetched").isFalse();
            assertThat(dev.inMemory(0, 0)).isTrue();
            try (FileChannel shrink = FileChannel.open(image, StandardOpenOption.WRITE)) {
                shrink.truncate(6 * MIB); // shortened under the device: nothing there, and no harm in asking
            }
            assertThat(dev.inMemory(6 * MIB, 2 * MIB)).isFalse();
        }
        RawFileBlockDevice closed = RawFileBlockDevice.open(image, true);
        closed.close();
        assertThat(closed.inMemory(0, MIB)).as("a closed device cannot tell").isTrue();
    }

    private static byte[] readAll(SocketChannel from, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (out.size() < n) {
                buf.clear().limit(Math.min(buf.capacity(), n - out.size()));
                if (from.read(buf) < 0) {
                    break;
                }
                out.write(buf.array(), 0, buf.position());
                Thread.sleep(1); // a slow reader, so the sender's buffer fills
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        return out.toByteArray();
    }

    @Test
    void refusesOutOfRangeAndTouchesNothing() throws Exception {
        try (RawFileBlockDevice dev = RawFileBlockDevice.create(dir.resolve("d.img"), MIB)) {
            assertThatThrownBy(() -> dev.write(MIB - 1, ByteBuffer.allocate(2), false))
                    .isInstanceOfSatisfying(BlockDeviceException.class,
                            e -> assertThat(e.code()).isEqualTo(BlockDeviceError.OUT_OF_RANGE));
            assertThatThrownBy(() -> dev.read(-1, ByteBuffer.allocate(1))).isInstanceOf(BlockDeviceException.class);
            assertThat(Files.size(dir.resolve("d.img"))).isEqualTo(MIB);
        }
    }

    @Test
    void readOnlyRefusesWrites() throws Exception {
        RawFileBlockDevice.create(dir.resolve("d.img"), MIB).close();
        try (RawFileBlockDevice dev = RawFileBlockDevice.open(dir.resolve("d.img"), true)) {
            assertThatThrownBy(() -> dev.write(0, ByteBuffer.allocate(1), false))
                    .isInstanceOfSatisfying(BlockDeviceException.class,
                            e -> assertThat(e.code()).isEqualTo(BlockDeviceError.READ_ONLY));
        }
    }

    @Test
    void aFailedFsyncIsFinalAndEveryLaterWriteAndFlushIsRefused() throws Exception {
        Path image = dir.resolve("d.img");
        RawFileBlockDevice.create(image, MIB).close();
        java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(1);
        java.util.concurrent.atomic.AtomicInteger syncs = new java.util.concurrent.atomic.AtomicInteger();
        RawFileBlockDevice.FileSync failingOnce = channel -> {
            syncs.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.io.IOException("Input/output error");
            }
            channel.force(false);
        };
        try (RawFileBlockDevice dev = RawFileBlockDevice.open(image, false, failingOnce)) {
            dev.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
            assertThatThrownBy(dev::flush).isInstanceOfSatisfying(BlockDeviceException.class, e -> {
                assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED);
                assertThat(e.getMessage()).contains(image.toString()).contains("Input/output error");
                assertThat(e.hint()).contains("dmesg");
            });
            // The seam would succeed now, as a retried fsync can after the kernel dropped the pages: refused all the same.
            List<org.junit.jupiter.api.function.Executable> refused = List.of(
                    dev::flush,
                    () -> dev.write(0, ByteBuffer.wrap(new byte[] {4}), false),
                    () -> dev.write(0, ByteBuffer.wrap(new byte[] {4}), true),
                    () -> dev.trim(0, 4096),
                    () -> dev.writeZeroes(0, 4096, false, false));
            for (org.junit.jupiter.api.function.Executable call : refused) {
                assertThatThrownBy(call::execute).isInstanceOfSatisfying(BlockDeviceException.class,
                        e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
            }
            assertThat(syncs.get()).as("no fsync is tried after the failed one").isEqualTo(1);
            ByteBuffer back = ByteBuffer.allocate(3);
            dev.read(0, back);
            assertThat(back.array()).as("reads still work, and no refused write touched the file").containsExactly(1, 2, 3);
        }
        try (RawFileBlockDevice reopened = RawFileBlockDevice.open(image, false)) {
            reopened.write(0, ByteBuffer.wrap(new byte[] {7}), true); // reopening is what clears it
            reopened.flush();
        }
    }

    @Test
    void aFailedFsyncOfAFuaWritePoisonsTheDeviceToo() throws Exception {
        Path image = dir.resolve("d.img");
        RawFileBlockDevice.create(image, MIB).close();
        try (RawFileBlockDevice dev = RawFileBlockDevice.open(image, false, channel -> {
            throw new java.io.IOException("No space left on device");
        })) {
            assertThatThrownBy(() -> dev.writeZeroes(0, 512, false, true)).isInstanceOfSatisfying(BlockDeviceException.class,
                    e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
            assertThatThrownBy(() -> dev.write(0, ByteBuffer.allocate(1), false)).isInstanceOfSatisfying(BlockDeviceException.class,
                    e -> assertThat(e.code()).isEqualTo(BlockDeviceError.FSYNC_FAILED));
        }
    }

    @Test
    void missingFileHasAClearError() {
        assertThatThrownBy(() -> RawFileBlockDevice.open(dir.resolve("nope.img"), false))
                .isInstanceOfSatisfying(BlockDeviceException.class, e -> {
                    assertThat(e.code()).isEqualTo(BlockDeviceError.NOT_FOUND);
                    assertThat(e.hint()).contains("truncate");
                });
    }
}
