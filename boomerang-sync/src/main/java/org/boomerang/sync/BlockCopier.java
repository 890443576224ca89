package org.boomerang.sync;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.ByteRange;

/**
 * Sends byte ranges from the source disk to the target disk: the one place a sync writes. Ranges are
 * cut into chunks of at most {@link SyncOptions#chunkSize()} that the worker pool reads, inspects and
 * writes in parallel. Inside a chunk, all-zero blocks are not sent as data: they become one
 * write-zeroes request (which punches a hole where the target can), so holes stay holes and zeroes
 * cost no bytes on the wire. The data blocks are compressed with zstd only to count the bytes a
 * compressing transport would send ({@code bytesSentCompressed}); the target receives them as they are.
 *
 * <p>Thread-safety: {@link #copy} may be called from one thread at a time. Ownership: devices and pool
 * belong to the caller.
 */
final class BlockCopier {
    private final BlockDevice source;
    private final BlockDevice target;
    private final SyncOptions options;
    private final ExecutorService pool;
    private final ReadBuffers buffers;
    private final TransferStats stats;
    private final ByteBuffer zeroBlock;
    private final ThreadLocal<ByteBuffer> compressed;

    BlockCopier(BlockDevice source, BlockDevice target, SyncOptions options, ExecutorService pool, ReadBuffers buffers,
            TransferStats stats) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.options = requireNonNull(options, "options is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.zeroBlock = ByteBuffer.allocateDirect(options.blockSize()).asReadOnlyBuffer();
        int bound = (int) Zstd.compressBound(options.chunkSize());
        this.compressed = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(bound));
    }

    /** Copies every range (sorted, block-aligned except at the end of the disk) and returns when all are written. */
    void copy(List<ByteRange> ranges) throws IOException {
        List<Future<Void>> chunks = new ArrayList<>();
        for (ByteRange range : ranges) {
            for (long offset = range.offset(); offset < range.end(); offset += options.chunkSize()) {
                long start = offset;
                int length = (int) Math.min(options.chunkSize(), range.end() - offset);
                chunks.add(pool.submit(() -> {
                    copyChunk(start, length);
                    return null;
                }));
            }
        }
        Futures.awaitAll(chunks);
    }

    /** Makes ranges zero on the target without reading the source (the source's holes in a full sync). */
    void zero(List<ByteRange> ranges) throws IOException {
        List<Future<Void>> parts = new ArrayList<>();
        for (ByteRange range : ranges) {
            parts.add(pool.submit(() -> {
                target.writeZeroes(range.offset(), range.length(), true, false);
                stats.bytesZeroed.add(range.length());
                stats.blocksZeroed.add(blocksIn(range.length()));
                return null;
            }));
        }
        Futures.awaitAll(parts);
    }

    private void copyChunk(long offset, int length) throws IOException {
        ByteBuffer buffer = buffers.get();
        buffer.limit(length);
        source.read(offset, buffer);
        stats.sourceBytesRead.add(length);
        int blockSize = options.blockSize();
        int at = 0;
        while (at < length) {
            boolean zero = isZero(buffer, at, Math.min(blockSize, length - at));
            int runStart = at;
            while (at < length && isZero(buffer, at, Math.min(blockSize, length - at)) == zero) {
                at += Math.min(blockSize, length - at);
            }
            int runLength = at - runStart;
            if (zero) {
                target.writeZeroes(offset + runStart, runLength, true, false);
                stats.blocksZeroed.add(blocksIn(runLength));
                stats.bytesZeroed.add(runLength);
            } else {
                ByteBuffer run = buffer.duplicate().position(runStart).limit(runStart + runLength);
                stats.bytesSentCompressed.add(compressedSize(buffer, runStart, runLength));
                target.write(offset + runStart, run, false);
                stats.bytesSent.add(runLength);
                stats.blocksWritten.add(blocksIn(runLength));
            }
        }
    }

    private boolean isZero(ByteBuffer buffer, int at, int length) {
        return buffer.slice(at, length).mismatch(zeroBlock.slice(0, length)) == -1;
    }

    private long compressedSize(ByteBuffer buffer, int at, int length) {
        ByteBuffer dst = compressed.get();
        long n = Zstd.compressDirectByteBuffer(dst, 0, dst.capacity(), buffer, at, length, options.compressionLevel());
        return Zstd.isError(n) ? length : Math.min(n, length);
    }

    private long blocksIn(long length) {
        return (length + options.blockSize() - 1) / options.blockSize();
    }
}
