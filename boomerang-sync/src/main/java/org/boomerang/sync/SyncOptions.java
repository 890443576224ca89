package org.boomerang.sync;

/**
 * How a sync cuts the disk and how hard it works.
 *
 * @param blockSize    the fine block: unit of digest compare and of transfer (a power of two, ≥ 4 KiB)
 * @param regionSize   the coarse region compared first in delta and verify (a multiple of blockSize)
 * @param chunkSize    the largest single read or write (a multiple of blockSize)
 * @param threads      worker threads for reading, digesting, compressing and writing
 * @param compressionLevel zstd level used to account "bytes sent after compression"
 */
public record SyncOptions(int blockSize, int regionSize, int chunkSize, int threads, int compressionLevel) {
    public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;
    public static final int DEFAULT_REGION_SIZE = 1 << 20;
    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;
    public static final int DEFAULT_COMPRESSION_LEVEL = 1;
    private static final int MIN_BLOCK_SIZE = 4096;

    public SyncOptions {
        if (blockSize < MIN_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw bad("block size must be a power of two of at least 4 KiB: " + blockSize);
        }
        if (regionSize < blockSize || regionSize % blockSize != 0) {
            throw bad("region size must be a multiple of the block size " + blockSize + ": " + regionSize);
        }
        if (chunkSize < blockSize || chunkSize % blockSize != 0) {
            throw bad("chunk size must be a multiple of the block size " + blockSize + ": " + chunkSize);
        }
        if (threads < 1) {
            throw bad("threads must be at least 1: " + threads);
        }
    }

    /** 64 KiB blocks, 1 MiB regions, 4 MiB I/O, two workers per core (I/O overlaps hashing). */
    public static SyncOptions defaults() {
        return withBlockSize(DEFAULT_BLOCK_SIZE);
    }

    public static SyncOptions withBlockSize(int blockSize) {
        int threads = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        return new SyncOptions(blockSize, Math.max(DEFAULT_REGION_SIZE, blockSize), Math.max(DEFAULT_CHUNK_SIZE, blockSize),
                threads, DEFAULT_COMPRESSION_LEVEL);
    }

    public int blocksPerRegion() {
        return regionSize / blockSize;
    }

    private static SyncException bad(String message) {
        return new SyncException(SyncError.SYNC_BAD_OPTION, message, "use the defaults (64K blocks) or fix the value");
    }
}
