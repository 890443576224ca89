package org.boomerang.sync;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * The block digest: XXH3-128, by the reference C library where it is installed ({@link NativeXxh3}),
 * else by zero-allocation-hashing; both compute the same function. Chosen by measurement (docs/benchmarks.md,
 * "Sync", digest choice): at 64 KiB blocks it runs several times faster than SHA-256 and faster than
 * CRC32C+XXH3-64 while giving the 128 bits the issue asks for; it is not cryptographic, which is fine
 * because both sides are our own disks, not an adversary choosing collisions.
 *
 * <p>Thread-safety: stateless; the result arrays are the caller's.
 */
public final class BlockHash {
    private static final LongTupleHashFunction XXH3_128 = LongTupleHashFunction.xx128();

    private BlockHash() {}

    /** Digests {@code length} bytes of {@code buffer} from {@code offset} into {@code out[at]}, {@code out[at + 1]}. */
    public static void digest(ByteBuffer buffer, int offset, int length, long[] out, int at) {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " capacity=" + buffer.capacity());
        }
        if (buffer.isDirect() && NativeXxh3.available()) {
            NativeXxh3.hash(MemorySegment.ofBuffer(buffer.duplicate().clear()).asSlice(offset, length), out, at);
            return;
        }
        long[] result = new long[2];
        if (buffer.isDirect()) {
            // By address: hashing a direct ByteBuffer itself needs --add-exports java.base/sun.nio.ch.
            // The buffer stays reachable through the caller for the duration of the call.
            XXH3_128.hashMemory(MemorySegment.ofBuffer(buffer).address() - buffer.position() + offset, length, result);
            Reference.reachabilityFence(buffer);
        } else {
            XXH3_128.hashBytes(buffer, offset, length, result);
        }
        out[at] = result[0];
        out[at + 1] = result[1];
    }

    /** Digests a run of digests (the coarse region digest over its blocks' fine digests). */
    public static void digestWords(long[] words, int offset, int length, long[] out, int at) {
        long[] result = new long[2];
        XXH3_128.hashLongs(words, offset, length, result);
        out[at] = result[0];
        out[at + 1] = result[1];
    }

    /** The digest of {@code length} zero bytes: what a hole digests to, computed once per length. */
    public static long[] zeroDigest(int length) {
        long[] out = new long[2];
        digest(ByteBuffer.allocate(length), 0, length, out, 0);
        return out;
    }
}
