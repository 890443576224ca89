package org.boomerang.dataplane.processserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.boomerang.stream.WriteCodec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process server's cache: what was appended survives a reopen; a torn tail is cut, never served. */
class DiskCacheTest {
    @TempDir
    Path dir;

    static Record write(long lsn) {
        byte[] data = new byte[4096];
        java.util.Arrays.fill(data, (byte) lsn);
        return WriteCodec.write(lsn, lsn * 4096, ByteBuffer.wrap(data), 0);
    }

    static List<Record> writes(long from, long to) {
        List<Record> out = new ArrayList<>();
        for (long l = from; l <= to; l++) {
            out.add(write(l));
        }
        return out;
    }

    /** A write of {@code length} bytes whose content depends on its LSN. */
    static Record write(long lsn, int length) {
        byte[] data = new byte[length];
        new java.util.Random(lsn).nextBytes(data);
        return WriteCodec.write(lsn, 0, ByteBuffer.wrap(data), 0);
    }

    @Test
    void readsInChunksReturnEveryRecordOnceInOrderWhateverItsSizeBeforeAndAfterAReopen() throws Exception {
        Hello hello = Hello.newBuilder().setDiskId("d").setGeneration(UUID.randomUUID().toString()).setDiskSize(1 << 30).setBlockSize(4096).build();
        List<Record> all = new ArrayList<>();
        for (long lsn = 1; lsn <= 700; lsn++) {   // small ones, and some larger than a read chunk, so entries straddle chunks
            all.add(write(lsn, lsn % 97 == 0 ? DiskCache.READ_CHUNK + 4096 : lsn % 13 == 0 ? 65536 + 7 : 4096 + (int) (lsn % 5)));
        }
        try (DiskCache c = DiskCache.open(dir, 1L << 30)) {
            c.resetHello(hello, -1);
            for (int i = 0; i < all.size(); i += 50) {
                c.append(all.subList(i, Math.min(all.size(), i + 50)));
            }
            assertThat(readAll(c, 1, 700)).isEqualTo(all);
        }
        try (DiskCache c = DiskCache.open(dir, 1L << 30)) {
            assertThat(c.lastLsn()).isEqualTo(700);
            assertThat(readAll(c, 333, 700)).isEqualTo(all.subList(332, 700));
        }
    }

    /** Every record from {@code from} to {@code to}, read as the relay reads them (about 1 MiB of payload per call). */
    static List<Record> readAll(DiskCache c, long from, long to) throws Exception {
        List<Record> got = new ArrayList<>();
        long next = from;
        while (next <= to) {
            List<Record> part = c.read(next, 1 << 20, Duration.ZERO);
            assertThat(part).isNotEmpty();
            got.addAll(part);
            next = part.getLast().getLsn() + 1;
        }
        return got;
    }

    @Test
    void recordsSurviveAReopenAndATornTailIsCut() throws Exception {
        Hello hello = Hello.newBuilder().setDiskId("d").setGeneration(UUID.randomUUID().toString()).setDiskSize(1 << 30).setBlockSize(4096).build();
        try (DiskCache c = DiskCache.open(dir, 64L << 20)) {
            c.resetHello(hello, -1);
            c.append(writes(1, 10));
            c.append(writes(11, 20));
        }
        Path seg;
        try (Stream<Path> s = Files.list(dir)) {
            seg = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 16, 0, 1, 2, 3, 4, 5}), ch.size());
        }
        try (DiskCache c = DiskCache.open(dir, 64L << 20)) {
            assertThat(c.hello()).isEqualTo(hello);
            assertThat(c.lastLsn()).isEqualTo(20);
            List<Record> got = c.read(5, 1 << 20, Duration.ZERO);
            assertThat(got.getFirst()).isEqualTo(write(5));
            assertThat(got.getLast().getLsn()).isEqualTo(20);
            c.append(writes(21, 21));
            assertThat(c.read(21, 1 << 20, Duration.ZERO)).containsExactly(write(21));
        }
    }

    @Test
    void acknowledgedSegmentsAreDeletedAndAFullCacheWaits() throws Exception {
        try (DiskCache c = DiskCache.open(dir, 4L << 20)) {
            c.resetHello(Hello.newBuilder().setDiskId("d").setGeneration(UUID.randomUUID().toString()).build(), -1);
            c.append(writes(1, 300));
            c.append(writes(301, 600));
            long used = c.usedBytes();
            assertThat(used).isGreaterThan(2L << 20);
            c.trimThrough(300);
            assertThat(c.usedBytes()).isLessThan(used);
            assertThat(c.read(301, 1 << 20, Duration.ZERO).getFirst().getLsn()).isEqualTo(301);
            assertThat(c.lastLsn()).isEqualTo(600);
        }
    }
}
