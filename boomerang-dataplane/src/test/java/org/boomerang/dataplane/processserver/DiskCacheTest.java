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
