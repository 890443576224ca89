package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.Extent;

/**
 * The one loop that turns a range of a disk into per-block digests: the blocks lying wholly inside a
 * range the device reports as reading zeroes (a hole, NBD block status) get the zero digest without a
 * read; each run of the other blocks is read in one go and hashed block by block ({@link BlockHash}).
 * A hole and a block of written zeroes therefore digest the same. {@link LocalBlockDigester} uses it
 * chunk by chunk over its pool, and the data plane's digest server for the ranges a peer asks for,
 * so both sides of a sync compute the same digests the same way.
 *
 * <p>Thread-safety: stateless; concurrent calls need their own buffers and disjoint output slots.
 */
public final class RangeDigester {
    private RangeDigester() {}

    /**
     * Digests the blocks of {@code [offset, offset + length)}: block {@code i} of the range (its last
     * block may be short) goes to {@code out[at + 2i]} and {@code out[at + 2i + 1]}.
     *
     * @param offset    the first byte, a multiple of {@code blockSize}
     * @param length    the bytes to digest, at most {@code buffer.capacity()}
     * @param buffer    scratch space for the reads, the caller's; its contents are overwritten
     * @return the bytes read from the device (holes are not read)
     */
    public static long digest(BlockDevice device, long offset, int length, int blockSize, ByteBuffer buffer, long[] out, int at)
            throws IOException {
        requireNonNull(device, "device is null");
        requireNonNull(buffer, "buffer is null");
        if (blockSize <= 0 || offset < 0 || offset % blockSize != 0 || length < 0 || length > buffer.capacity()) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") with " + blockSize
                    + "-byte blocks does not fit a " + buffer.capacity() + "-byte buffer at a block boundary");
        }
        int blocks = (length + blockSize - 1) / blockSize;
        boolean[] zero = zeroBlocks(device, offset, length, blockSize, blocks);
        long end = offset + length;
        long read = 0;
        int b = 0;
        while (b < blocks) {
            if (zero[b]) {
                long[] z = ZeroDigests.of((int) Math.min(blockSize, end - (offset + (long) b * blockSize)));
                out[at + b * 2] = z[0];
                out[at + b * 2 + 1] = z[1];
                b++;
                continue;
            }
            int runStart = b;
            while (b < blocks && !zero[b]) {
                b++;
            }
            long runOffset = offset + (long) runStart * blockSize;
            int runLength = (int) Math.min((long) (b - runStart) * blockSize, end - runOffset);
            buffer.clear().limit(runLength);
            device.read(runOffset, buffer);
            for (int i = runStart; i < b; i++) {
                int from = (i - runStart) * blockSize;
                BlockHash.digest(buffer, from, Math.min(blockSize, runLength - from), out, at + i * 2);
            }
            read += runLength;
        }
        return read;
    }

    /** Marks the blocks of the range that lie wholly inside an extent known to read as zeroes. */
    private static boolean[] zeroBlocks(BlockDevice device, long offset, int length, int blockSize, int blocks) throws IOException {
        boolean[] zero = new boolean[blocks];
        for (Extent e : device.allocation(offset, length)) {
            if (!e.zero()) {
                continue;
            }
            long firstFull = Math.max(0, (e.offset() - offset + blockSize - 1) / blockSize);
            for (long i = firstFull; i < blocks; i++) {
                long blockEnd = Math.min(offset + (i + 1) * blockSize, offset + length);
                if (blockEnd > e.end()) {
                    break;
                }
                zero[(int) i] = true;
            }
        }
        return zero;
    }
}
