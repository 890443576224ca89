package org.boomerang.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.openhft.hashing.LongTupleHashFunction;
import org.junit.jupiter.api.Test;

/**
 * The block digest is XXH3-128 whichever implementation computes it: the C library through FFM and
 * zero-allocation-hashing give the same bits at every length class of XXH3 (0, 1-3, 4-8, 9-16, 17-128,
 * 129-240, long inputs with partial stripes and blocks), so two sides may digest with either.
 */
class BlockHashTest {
    private static final LongTupleHashFunction JAVA = LongTupleHashFunction.xx128();

    @Test
    void theCLibraryAndTheJavaLibraryGiveTheSameDigest() {
        assumeTrue(NativeXxh3.available(), "libxxhash.so.0 is not installed (Debian: libxxhash0); digests are computed in Java only");
        List<Integer> lengths = new ArrayList<>();
        for (int n = 0; n <= 2 * 1024 + 70; n++) {
            lengths.add(n);
        }
        for (int n : new int[] {4095, 4096, 4097, 65535, 65536, 65537, 1 << 20}) {
            lengths.add(n);
        }
        byte[] data = new byte[(1 << 20) + 64];
        new Random(5).nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip().position(3);
        long[] out = new long[3];
        for (int length : lengths) {
            int offset = length % 29;
            BlockHash.digest(direct, offset, length, out, 1);
            assertThat(new long[] {out[1], out[2]}).as("length %d", length).containsExactly(JAVA.hashBytes(data, offset, length));
        }
    }

    @Test
    void aHeapBufferAndADirectBufferDigestAlike() {
        byte[] data = new byte[70_000];
        new Random(6).nextBytes(data);
        ByteBuffer heap = ByteBuffer.wrap(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        long[] a = new long[2];
        long[] b = new long[2];
        for (int length : new int[] {0, 17, 240, 241, 65536}) {
            BlockHash.digest(heap, 100, length, a, 0);
            BlockHash.digest(direct, 100, length, b, 0);
            assertThat(a).as("length %d", length).containsExactly(b);
        }
    }
}
