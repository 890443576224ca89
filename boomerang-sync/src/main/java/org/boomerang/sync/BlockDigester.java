package org.boomerang.sync;

import java.io.IOException;

/**
 * One side of a digest compare: the digests of one disk's blocks, coarse regions first and fine
 * blocks on demand (SPEC §2.4). Delta sync and verify talk to each side only through this
 * interface, so that a side can later run remotely, next to its disk, and send only digests over
 * the wire (the replication roles). {@link LocalBlockDigester} runs in this process and reads the
 * disk through a {@link org.boomerang.blockdev.BlockDevice}; for an {@code nbd://} disk that means
 * the disk's bytes cross the wire, which {@link #provenance()} says. A digester served by the role
 * that holds the disk (the agent, the master target: {@code digests.proto} in boomerang-stream) sends
 * only digests.
 *
 * <p>Digests are 128 bits (XXH3-128, see {@link BlockHash}). A block that is shorter than the block
 * size (the last block of a disk whose size is not a multiple of it) is digested over its real length.
 *
 * <p>Thread-safety: implementations are safe to call from one thread at a time per instance; the two
 * sides of a compare run concurrently on separate instances.
 */
public interface BlockDigester extends AutoCloseable {
    /** The disk size in bytes. */
    long size();

    int blockSize();

    /**
     * The digest of every region of {@code regionSize} bytes (a multiple of the block size), in order;
     * the last region may be shorter.
     */
    Digests regionDigests(int regionSize) throws IOException;

    /** The digests of {@code count} blocks starting at block {@code firstBlock}. */
    Digests blockDigests(long firstBlock, int count) throws IOException;

    /**
     * Bytes this process has read from the disk so far to digest it: all of a {@link LocalBlockDigester}'s
     * reads; none for a digester that runs next to the disk (its {@link #provenance()} says what it read there).
     */
    long bytesRead();

    /** Releases what the digester holds (not the disk, which is the caller's). */
    @Override
    void close() throws IOException;

    /** Where the digests were computed and from what, for the sync report. */
    String provenance();
}
