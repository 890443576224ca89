package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.boomerang.blockdev.BlockDevice;

/**
 * A {@link BlockDigester} in this process over a {@link BlockDevice}. The first call reads the whole
 * disk once, in chunks spread over the worker pool, and keeps the fine digest of every block
 * (16 bytes per block: 2 MiB for 8 GiB at 64 KiB blocks); a region digest is the XXH3-128 of its
 * blocks' digests (a two-level hash tree), so the coarse pass and the fine pass read the disk once.
 * Ranges the device reports as reading zeroes (holes, NBD block status) are not read: their blocks
 * get the zero digest, which a block of written zeroes also has, so holes and zeroes compare equal
 * ({@link RangeDigester}, the loop the data plane's digest server runs too).
 * Data is read into pooled buffers rather than hashed through a mapping of the file: on the benchmark
 * machine (a paravirtualised VM) the page faults of a mapping made a 2 GiB delta take 2.4 s instead of
 * 1.1 s.
 *
 * <p>Thread-safety: one caller at a time; the work inside fans out over {@code pool}. Ownership: the
 * device and the pool belong to the caller.
 */
public final class LocalBlockDigester implements BlockDigester {
    private final BlockDevice device;
    private final String provenance;
    private final SyncOptions options;
    private final ExecutorService pool;
    private final ReadBuffers buffers;
    private final LongAdder bytesRead = new LongAdder();
    private final long blocks;
    private long[] fine;

    public LocalBlockDigester(BlockDevice device, String provenance, SyncOptions options, ExecutorService pool, ReadBuffers buffers) {
        this.device = requireNonNull(device, "device is null");
        this.provenance = requireNonNull(provenance, "provenance is null");
        this.options = requireNonNull(options, "options is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.blocks = (device.size() + options.blockSize() - 1) / options.blockSize();
        if (blocks * 2 > Integer.MAX_VALUE - 8) {
            throw new SyncException(SyncError.SYNC_BAD_OPTION, "disk of " + device.size() + " bytes has too many "
                    + options.blockSize() + "-byte blocks to digest in memory", "use a larger block size (--block-size 1M)");
        }
    }

    @Override
    public long size() {
        return device.size();
    }

    @Override
    public int blockSize() {
        return options.blockSize();
    }

    @Override
    public Digests regionDigests(int regionSize) throws IOException {
        if (regionSize % options.blockSize() != 0) {
            throw new IllegalArgumentException("region size " + regionSize + " is not a multiple of the block size");
        }
        long[] all = fineDigests();
        int perRegion = regionSize / options.blockSize();
        int regions = (int) ((blocks + perRegion - 1) / perRegion);
        long[] out = new long[regions * 2];
        for (int r = 0; r < regions; r++) {
            long first = (long) r * perRegion;
            int count = (int) Math.min(perRegion, blocks - first);
            BlockHash.digestWords(all, (int) (first * 2), count * 2, out, r * 2);
        }
        return new Digests(out);
    }

    @Override
    public Digests blockDigests(long firstBlock, int count) throws IOException {
        if (firstBlock < 0 || count < 0 || firstBlock + count > blocks) {
            throw new IllegalArgumentException("blocks [" + firstBlock + ", " + (firstBlock + count) + ") outside " + blocks);
        }
        long[] all = fineDigests();
        long[] out = new long[count * 2];
        System.arraycopy(all, (int) (firstBlock * 2), out, 0, count * 2);
        return new Digests(out);
    }

    @Override
    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public String provenance() {
        return provenance;
    }

    private long[] fineDigests() throws IOException {
        if (fine == null) {
            long[] digests = new long[(int) (blocks * 2)];
            List<Future<Void>> chunks = new ArrayList<>();
            for (long offset = 0; offset < device.size(); offset += options.chunkSize()) {
                long start = offset;
                int length = (int) Math.min(options.chunkSize(), device.size() - offset);
                chunks.add(pool.submit(() -> {
                    digestChunk(start, length, digests);
                    return null;
                }));
            }
            Futures.awaitAll(chunks);
            fine = digests;
        }
        return fine;
    }

    private void digestChunk(long offset, int length, long[] out) throws IOException {
        int blockSize = options.blockSize();
        bytesRead.add(RangeDigester.digest(device, offset, length, blockSize, buffers.get(), out, (int) (offset / blockSize * 2)));
    }

    /** Holds nothing to release; the device is the caller's. */
    @Override
    public void close() {
    }
}
