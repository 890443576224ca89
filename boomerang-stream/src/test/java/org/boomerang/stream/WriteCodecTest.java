package org.boomerang.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boomerang.stream.proto.Batch;
import org.boomerang.stream.proto.Codec;
import org.boomerang.stream.proto.Hello;
import org.boomerang.stream.proto.Record;
import org.boomerang.stream.proto.Write;
import org.junit.jupiter.api.Test;

/** Write payloads through the pooled zstd contexts, checked against zstd's own one-shot decoder. */
class WriteCodecTest {
    /** Half random, half repeated: compressible, and different for every seed. */
    static byte[] data(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        for (int i = length / 2; i < length; i++) {
            b[i] = (byte) (i % 7);
        }
        return b;
    }

    @Test
    void compressedWritesAreStandardZstdFramesAndDecodeToTheirBytesFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        int length = i % 3 == 0 ? WriteCodec.MAX_WRITE_BYTES : 4096 << (i % 4);
                        byte[] raw = data(length, thread * 1000L + i);
                        Record r = WriteCodec.compressed(WriteCodec.write(i + 1, 0, ByteBuffer.wrap(raw), 0), 3);
                        Write w = r.getWrite();
                        assertThat(w.getCodec()).isEqualTo(Codec.CODEC_ZSTD);
                        assertThat(w.getData().size()).isLessThan(length);
                        assertThat(Zstd.decompress(w.getData().toByteArray(), length)).isEqualTo(raw);
                        ByteBuffer back = WriteCodec.decode(r.getLsn(), w);
                        byte[] got = new byte[back.remaining()];
                        back.get(got);
                        assertThat(got).isEqualTo(raw);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void incompressibleWritesStayAsWritten() {
        byte[] raw = new byte[65536];
        new Random(7).nextBytes(raw);
        Record r = WriteCodec.write(1, 4096, ByteBuffer.wrap(raw), 3);
        assertThat(r.getWrite().getCodec()).isEqualTo(Codec.CODEC_NONE);
        assertThat(r.getWrite().getData().toByteArray()).isEqualTo(raw);
    }

    @Test
    void aDamagedFrameIsMalformedAndTheNextFrameStillDecodes() {
        byte[] raw = data(65536, 1);
        Write good = WriteCodec.write(1, 0, ByteBuffer.wrap(raw), 3).getWrite();
        byte[] bad = good.getData().toByteArray();
        for (int i = bad.length / 2; i < bad.length; i++) {
            bad[i] ^= 0x5a;
        }
        Write damaged = good.toBuilder().setData(ByteString.copyFrom(bad)).build();
        assertThatThrownBy(() -> WriteCodec.decode(1, damaged))
                .isInstanceOfSatisfying(StreamException.class, e -> assertThat(e.code()).isEqualTo(StreamError.MALFORMED_FRAME));
        for (int i = 0; i < 8; i++) {   // whichever context the failure touched, decoding goes on
            assertThat(WriteCodec.decode(2, good).remaining()).isEqualTo(raw.length);
        }
    }

    @Test
    void theFrameCheckHandsOnACompressedWriteDecodedWithItsCrc() {
        Hello hello = Hello.newBuilder().setDiskId("d1").setGeneration(UUID.randomUUID().toString()).setDiskSize(1 << 20)
                .setBlockSize(4096).build();
        byte[] raw = data(8192, 2);
        Record zstd = WriteCodec.write(1, 8192, ByteBuffer.wrap(raw), 3);
        assertThat(zstd.getWrite().getCodec()).isEqualTo(Codec.CODEC_ZSTD);
        List<Record> fresh = new FrameCheck(hello, 0).accept(Batch.newBuilder().setDiskId("d1").setGeneration(hello.getGeneration())
                .addRecords(zstd).build());
        Write w = fresh.getFirst().getWrite();
        assertThat(w.getCodec()).isEqualTo(Codec.CODEC_NONE);
        assertThat(w.getData().toByteArray()).isEqualTo(raw);
        assertThat(w.getCrc32C()).isEqualTo(zstd.getWrite().getCrc32C());
        assertThat(w.getOffset()).isEqualTo(8192);
        ByteBuffer bytes = WriteCodec.checked(1, w);
        assertThat(bytes.remaining()).isEqualTo(raw.length);
    }
}
