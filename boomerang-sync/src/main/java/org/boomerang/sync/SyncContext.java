package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.common.Clock;
import org.boomerang.common.SyncMode;

/**
 * What every mode of one sync shares: both disks, options, the worker pool, buffers, counters and
 * the start time. Builds the report at the end. Not thread-safe except for {@link #stats}.
 */
final class SyncContext {
    final SyncDisk source;
    final SyncDisk target;
    final SyncOptions options;
    final ExecutorService pool;
    final ReadBuffers buffers;
    final TransferStats stats = new TransferStats();
    final List<String> notes = new ArrayList<>();
    private final Clock clock;
    private final long startNanos;
    long digestBytes;

    SyncContext(SyncDisk source, SyncDisk target, SyncOptions options, ExecutorService pool, ReadBuffers buffers, Clock clock) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.options = requireNonNull(options, "options is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.startNanos = clock.nanoTime();
    }

    BlockCopier copier() {
        return new BlockCopier(source.device(), target.device(), options, pool, buffers, stats);
    }

    LocalBlockDigester digester(SyncDisk disk) {
        return new LocalBlockDigester(disk.device(), disk.localProvenance(), options, pool, buffers);
    }

    /**
     * Compares both sides' digests (coarse regions, then blocks inside differing regions), records what
     * the comparison read and would send, and returns the differing blocks as ranges. Delta sync then
     * copies them; verify reports them.
     */
    List<ByteRange> compareDigests(BlockDigester sourceDigester, BlockDigester targetDigester) throws IOException {
        DigestComparison comparison = new DigestComparison(sourceDigester, targetDigester, options.regionSize());
        BitSet differing = comparison.differingBlocks();
        digestBytes = comparison.digestBytes();
        stats.sourceBytesRead.add(sourceDigester.bytesRead());
        stats.targetBytesRead.add(targetDigester.bytesRead());
        notes.add("source " + sourceDigester.provenance());
        notes.add("target " + targetDigester.provenance());
        return DigestComparison.ranges(differing, options.blockSize(), size());
    }

    long size() {
        return source.device().size();
    }

    long blocks() {
        return (size() + options.blockSize() - 1) / options.blockSize();
    }

    SyncReport report(SyncMode mode, List<ByteRange> differing) {
        return new SyncReport(mode, source.name(), target.name(), size(), options.blockSize(), blocks(),
                stats.sourceBytesRead.sum(), stats.targetBytesRead.sum(), stats.bytesSent.sum(),
                stats.bytesSentCompressed.sum(), digestBytes, stats.blocksWritten.sum(), stats.blocksZeroed.sum(),
                Duration.ofNanos(clock.nanoTime() - startNanos), differing, notes);
    }
}
