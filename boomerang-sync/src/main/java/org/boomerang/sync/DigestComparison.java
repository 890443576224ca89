package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.boomerang.blockdev.ByteRange;

/**
 * The digest compare of delta sync and verify, in the order a remote exchange would take: both sides
 * send their region digests (computed concurrently), then for each differing region both send the
 * digests of its blocks; the blocks whose digests differ are the answer. Counts the digest bytes such
 * an exchange would put on the wire.
 *
 * <p>Not thread-safe: one compare per instance.
 */
final class DigestComparison {
    private final BlockDigester source;
    private final BlockDigester target;
    private final int regionSize;
    private long digestBytes;

    DigestComparison(BlockDigester source, BlockDigester target, int regionSize) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.regionSize = regionSize;
        if (source.size() != target.size() || source.blockSize() != target.blockSize()) {
            throw new IllegalArgumentException("digesters differ in geometry");
        }
    }

    /** The blocks that differ, as a set of block indexes. */
    BitSet differingBlocks() throws IOException {
        Digests[] regions = bothSides(d -> d.regionDigests(regionSize));
        digestBytes += regions[0].wireBytes() + regions[1].wireBytes();
        int perRegion = regionSize / source.blockSize();
        long blocks = (source.size() + source.blockSize() - 1) / source.blockSize();
        BitSet differing = new BitSet();
        for (int r = 0; r < regions[0].count(); r++) {
            if (regions[0].sameAt(r, regions[1])) {
                continue;
            }
            long first = (long) r * perRegion;
            int count = (int) Math.min(perRegion, blocks - first);
            Digests s = source.blockDigests(first, count);
            Digests t = target.blockDigests(first, count);
            digestBytes += s.wireBytes() + t.wireBytes();
            for (int i = 0; i < count; i++) {
                if (!s.sameAt(i, t)) {
                    differing.set((int) (first + i));
                }
            }
        }
        return differing;
    }

    long digestBytes() {
        return digestBytes;
    }

    /** Turns a set of blocks into sorted byte ranges of adjacent blocks, clipped to the disk size. */
    static List<ByteRange> ranges(BitSet blocks, int blockSize, long size) {
        List<ByteRange> out = new ArrayList<>();
        int b = blocks.nextSetBit(0);
        while (b >= 0) {
            int end = blocks.nextClearBit(b);
            long offset = (long) b * blockSize;
            out.add(new ByteRange(offset, Math.min((long) end * blockSize, size) - offset));
            b = blocks.nextSetBit(end);
        }
        return out;
    }

    @FunctionalInterface
    private interface Side {
        Digests digests(BlockDigester digester) throws IOException;
    }

    private Digests[] bothSides(Side side) throws IOException {
        try (ExecutorService sides = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Digests> s = sides.submit(() -> side.digests(source));
            Future<Digests> t = sides.submit(() -> side.digests(target));
            return new Digests[] {get(s), get(t)};
        }
    }

    private static Digests get(Future<Digests> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("sync interrupted");
        } catch (ExecutionException e) {
            List<Future<Digests>> one = List.of(f);
            Futures.awaitAll(one);
            throw new IOException(e.getCause());
        }
    }
}
