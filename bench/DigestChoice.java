import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import net.openhft.hashing.LongHashFunction;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * The digest choice of the resync engine, measured (bench/sync.sh runs it): single-thread throughput
 * of candidate block digests of at least 128 bits over 64 KiB blocks of a 256 MiB in-memory buffer,
 * median of 5 passes after a warm-up. Run with the launcher's class path.
 */
public final class DigestChoice {
    private static final int BLOCK = 64 * 1024;
    private static final int TOTAL = 256 << 20;

    interface Digest {
        void block(ByteBuffer buf, long address, int offset) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(TOTAL);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < TOTAL; i += 8) {
            buf.putLong(i, r.nextLong());
        }
        long address = MemorySegment.ofBuffer(buf).address();
        LongTupleHashFunction xx128 = LongTupleHashFunction.xx128();
        LongHashFunction xx64 = LongHashFunction.xx3();
        long[] out = new long[2];
        byte[] heap = new byte[BLOCK];
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        CRC32C crc = new CRC32C();
        run("XXH3-128 (Boomerang's BlockHash: libxxhash via FFM where installed)", buf, address,
                (b, a, o) -> org.boomerang.sync.BlockHash.digest(b, o, BLOCK, out, 0));
        run("XXH3-128 (zero-allocation-hashing)", buf, address, (b, a, o) -> xx128.hashMemory(a + o, BLOCK, out));
        run("XXH3-64 + CRC32C (96 bits)", buf, address, (b, a, o) -> {
            out[0] = xx64.hashMemory(a + o, BLOCK);
            crc.reset();
            crc.update(b.slice(o, BLOCK));
            out[1] = crc.getValue();
        });
        run("CRC32C alone (32 bits, for scale)", buf, address, (b, a, o) -> {
            crc.reset();
            crc.update(b.slice(o, BLOCK));
        });
        run("SHA-256 (JDK)", buf, address, (b, a, o) -> {
            b.get(o, heap);
            sha256.update(heap);
            sha256.digest();
        });
        run("MD5 (JDK, rsync's old strong sum)", buf, address, new Digest() {
            final MessageDigest md5 = MessageDigest.getInstance("MD5");
            @Override
            public void block(ByteBuffer b, long a, int o) {
                b.get(o, heap);
                md5.update(heap);
                md5.digest();
            }
        });
    }

    private static void run(String name, ByteBuffer buf, long address, Digest d) throws Exception {
        double[] gbps = new double[5];
        for (int pass = -1; pass < gbps.length; pass++) {
            long t0 = System.nanoTime();
            for (int o = 0; o < TOTAL; o += BLOCK) {
                d.block(buf, address, o);
            }
            long t = System.nanoTime() - t0;
            if (pass >= 0) {
                gbps[pass] = TOTAL / (t / 1e9) / (1 << 30);
            }
        }
        Arrays.sort(gbps);
        System.out.printf(Locale.ROOT, "| %-36s | %6.2f GiB/s |%n", name, gbps[gbps.length / 2]);
    }
}
