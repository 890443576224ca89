package org.boomerang.dataplane.digests;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.sync.BlockHash;
import org.boomerang.sync.RangeDigester;

/**
 * Computes the digests of a range of a disk's blocks next to the disk, as {@code digests.proto} defines
 * them: XXH3-128 per block by the sync engine's {@link BlockHash}, or per region the hash of its blocks'
 * digests ({@link BlockHash#digestWords}), so they equal what a {@link org.boomerang.sync.LocalBlockDigester}
 * computes for the same disk: both run {@link RangeDigester}, so blocks wholly inside a range the device
 * reports as zeroes are not read. Reads go in runs of up to {@link #READ_BYTES}.
 *
 * <p>Not thread-safe: one answer per instance; it owns one direct read buffer.
 */
final class DiskDigesting {
    /** The largest read: a run of adjacent data blocks is read in one go up to this size. */
    static final int READ_BYTES = 4 << 20;

    /** Receives digests in order, a batch at a time: {@code words} holds 2 longs per digest. */
    @FunctionalInterface
    interface Sink {
        void accept(long firstIndex, long[] words, int count) throws IOException;
    }

    private final BlockDevice device;
    private final int blockSize;
    private final long blocks;
    private final ByteBuffer buffer;
    private long bytesRead;

    DiskDigesting(BlockDevice device, int blockSize) {
        this.device = requireNonNull(device, "device is null");
        this.blockSize = blockSize;
        this.blocks = (device.size() + blockSize - 1) / blockSize;
        this.buffer = ByteBuffer.allocateDirect(Math.max(READ_BYTES, blockSize));
    }

    long blocks() {
        return blocks;
    }

    long bytesRead() {
        return bytesRead;
    }

    /**
     * Digests blocks {@code [firstBlock, firstBlock + count)}, {@code perDigest} blocks to a digest,
     * handing {@code sink} at most {@code batch} digests at a time.
     */
    void digest(long firstBlock, long count, int perDigest, int batch, Sink sink) throws IOException {
        long end = firstBlock + count;
        long digests = (count + perDigest - 1) / perDigest;
        long[] out = new long[(int) Math.min(digests, batch) * 2];
        long[] fine = new long[perDigest * 2];
        int filled = 0;
        long batchFirst = 0;
        for (long d = 0; d < digests; d++) {
            long first = firstBlock + d * perDigest;
            int n = (int) Math.min(perDigest, end - first);
            digestBlocks(first, n, fine);
            if (perDigest == 1) {
                out[filled * 2] = fine[0];
                out[filled * 2 + 1] = fine[1];
            } else {
                BlockHash.digestWords(fine, 0, n * 2, out, filled * 2);
            }
            filled++;
            if (filled * 2 == out.length) {
                sink.accept(batchFirst, out, filled);
                batchFirst += filled;
                filled = 0;
            }
        }
        if (filled > 0) {
            sink.accept(batchFirst, out, filled);
        }
    }

    /** The fine digests of {@code n} blocks from {@code first} into {@code out[0 .. 2n)}. */
    private void digestBlocks(long first, int n, long[] out) throws IOException {
        int perRead = buffer.capacity() / blockSize;
        for (int done = 0; done < n; ) {
            int k = Math.min(perRead, n - done);
            long offset = (first + done) * blockSize;
            int length = (int) Math.min((long) k * blockSize, device.size() - offset);
            bytesRead += RangeDigester.digest(device, offset, length, blockSize, buffer, out, done * 2);
            done += k;
        }
    }
}
