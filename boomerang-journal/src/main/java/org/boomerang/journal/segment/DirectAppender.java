package org.boomerang.journal.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes large records to a segment with {@code O_DIRECT}, bypassing the page cache as {@code dd
 * oflag=direct} does: copying a large payload into the page cache and writing it back at fsync costs
 * more than the device write itself. Direct I/O needs block-aligned offsets, lengths and memory, so
 * a record is written as whole blocks: the bytes already in its first block (read back through the
 * buffered channel), the record, and zero padding up to the next block. Later appends overwrite the
 * padding; sealing a segment truncates it to its valid size, and recovery treats leftover padding after a
 * crash as a torn tail. Durability still comes from the segment's fsync.
 *
 * <p>Thread-safety: not thread-safe; used under the journal's append lock. Ownership: owns its channel.
 */
final class DirectAppender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectAppender.class);
    /** Records whose payload is at least this large are written directly; smaller ones go through the cache. */
    static final int THRESHOLD = 128 * 1024;

    private final FileChannel direct;
    private final int block;
    private ByteBuffer buffer;
    /** The bytes of the last partial block written directly, valid while the file ends at {@code tailEnd}. */
    private final byte[] tail;
    private long tailEnd = -1;

    private DirectAppender(FileChannel direct, int block) {
        this.direct = direct;
        this.block = block;
        this.tail = new byte[block];
    }

    /** A direct appender for {@code path}, or null when the file system does not support direct I/O. */
    static DirectAppender open(Path path) {
        try {
            int block = (int) Files.getFileStore(path).getBlockSize();
            if (block <= 0 || Integer.bitCount(block) != 1 || block > 65536) {
                return null;
            }
            FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            return new DirectAppender(ch, block);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no direct I/O for {}: {}; large records go through the page cache", path, e.toString());
            return null;
        }
    }

    /**
     * Writes {@code header} then {@code payload} at {@code position} of the file that {@code buffered}
     * also reads. Neither buffer's position moves.
     */
    void write(FileChannel buffered, long position, ByteBuffer header, ByteBuffer payload) throws IOException {
        long start = position & -block;
        int lead = (int) (position - start);
        long end = position + header.remaining() + payload.remaining();
        int total = (int) (((end + block - 1) & -block) - start);
        ByteBuffer b = buffer(total);
        b.clear().limit(lead);
        if (tailEnd == position) {
            b.put(tail, 0, lead);
        } else {
            while (b.hasRemaining()) {
                if (buffered.read(b, start + b.position()) < 0) {
                    break;
                }
            }
        }
        b.limit(total).position(lead);
        b.put(header.duplicate()).put(payload.duplicate());
        while (b.hasRemaining()) {
            b.put((byte) 0);
        }
        b.flip();
        int endLead = (int) (end & (block - 1));
        b.get((int) ((end & -block) - start), tail, 0, endLead);
        long pos = start;
        while (b.hasRemaining()) {
            pos += direct.write(b, pos);
        }
        tailEnd = end;
    }

    private ByteBuffer buffer(int size) {
        if (buffer == null || buffer.capacity() < size) {
            int capacity = Math.max(size, 2 << 20);
            buffer = ByteBuffer.allocateDirect(capacity + block).alignedSlice(block);
        }
        return buffer;
    }

    @Override
    public void close() throws IOException {
        direct.close();
    }
}
