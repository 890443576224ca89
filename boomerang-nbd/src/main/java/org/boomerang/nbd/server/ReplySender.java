package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.nbd.codec.NbdReplyEncoder;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * Sends the replies of one connection.
 *
 * <p>Replies made by the connection's own thread (the reader) are queued and go out together in one
 * gathering write when the reader is about to read from the socket again ({@link #flush()}), or earlier
 * when {@link #MAX_QUEUED} pieces or {@link #MAX_QUEUED_BYTES} bytes are waiting. A burst of pipelined
 * requests thus costs one {@code read} and one {@code writev} besides the device I/O, instead of a write
 * per reply, and no reply waits for input that has not arrived. Headers are encoded into a reused direct
 * buffer; data buffers are sent as they are, without a copy, and given back to the pool
 * ({@link #release}) once sent.
 *
 * <p>Replies made by other threads (the workers that run FLUSH, FUA writes, TRIM and WRITE_ZEROES) are
 * written at once. Every socket write happens under one lock, so replies never interleave their bytes.
 *
 * <p>Thread-safety: the data-carrying methods, {@link #release} and {@link #flush} are for the connection's
 * thread; {@link #simple} and {@link #structuredError} may be called from any thread.
 */
final class ReplySender {
    static final int MAX_QUEUED = 64;
    static final int MAX_QUEUED_BYTES = 256 * 1024;
    private static final int HEADER_ARENA = 64 * 1024;
    /** Room one header (the largest is an ERROR chunk) needs in the arena. */
    private static final int MAX_HEADER = NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE + 6 + NbdReplyEncoder.MAX_ERROR_MESSAGE;

    private final SocketChannel channel;
    private final Thread owner;
    private final DirectBufferPool pool;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer arena = ByteBuffer.allocateDirect(HEADER_ARENA);
    private final ByteBuffer workerHeader = ByteBuffer.allocateDirect(MAX_HEADER);
    private final ByteBuffer[] queue = new ByteBuffer[MAX_QUEUED];
    private final List<ByteBuffer> toRelease = new ArrayList<>();
    private int queued;
    private long queuedBytes;

    /** {@code owner} is the connection's thread, whose replies are queued. */
    ReplySender(SocketChannel channel, Thread owner, DirectBufferPool pool) {
        this.channel = requireNonNull(channel, "channel is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.pool = requireNonNull(pool, "pool is null");
    }

    void simple(long cookie, int error) throws IOException {
        if (Thread.currentThread() == owner) {
            NbdReplyEncoder.simple(header(), cookie, error);
            endHeader(null);
        } else {
            lock.lock();
            try {
                workerHeader.clear();
                NbdReplyEncoder.simple(workerHeader, cookie, error);
                writeFully(workerHeader.flip());
            } finally {
                lock.unlock();
            }
        }
    }

    void structuredError(long cookie, int error, String message) throws IOException {
        if (Thread.currentThread() == owner) {
            NbdReplyEncoder.error(header(), cookie, error, message);
            endHeader(null);
        } else {
            lock.lock();
            try {
                workerHeader.clear();
                NbdReplyEncoder.error(workerHeader, cookie, error, message);
                writeFully(workerHeader.flip());
            } finally {
                lock.unlock();
            }
        }
    }

    /** A successful simple READ reply: the header and then {@code data} from its position to its limit. */
    void simpleData(long cookie, ByteBuffer data) throws IOException {
        NbdReplyEncoder.simple(header(), cookie, 0);
        endHeader(data);
    }

    void offsetData(long cookie, long offset, ByteBuffer data, boolean done) throws IOException {
        NbdReplyEncoder.offsetDataHeader(header(), done, cookie, offset, data.remaining());
        endHeader(data);
    }

    void offsetHole(long cookie, long offset, int size, boolean done) throws IOException {
        NbdReplyEncoder.offsetHole(header(), done, cookie, offset, size);
        endHeader(null);
    }

    void none(long cookie) throws IOException {
        NbdReplyEncoder.none(header(), cookie);
        endHeader(null);
    }

    /** A final BLOCK_STATUS chunk; {@code descriptors} holds (length, status) pairs already encoded. */
    void blockStatus(long cookie, int contextId, ByteBuffer descriptors) throws IOException {
        NbdReplyEncoder.blockStatusHeader(header(), true, cookie, contextId,
                descriptors.remaining() / NbdReplyEncoder.BLOCK_DESCRIPTOR_SIZE);
        endHeader(descriptors);
    }

    /** Gives a pooled buffer back once every queued reply that may point into it has been sent. */
    void release(ByteBuffer pooled) {
        if (queued == 0) {
            pool.give(pooled);
        } else {
            toRelease.add(pooled);
        }
    }

    /** Sends every queued reply; the connection's thread calls it before it reads from the socket. */
    void flush() throws IOException {
        if (queued == 0) {
            return;
        }
        lock.lock();
        try {
            long left = queuedBytes;
            while (left > 0) {
                left -= channel.write(queue, 0, queued);
            }
        } finally {
            lock.unlock();
            java.util.Arrays.fill(queue, 0, queued, null);
            queued = 0;
            queuedBytes = 0;
            arena.clear();
            for (ByteBuffer b : toRelease) {
                pool.give(b);
            }
            toRelease.clear();
        }
    }

    /** The most descriptors one BLOCK_STATUS reply carries. */
    static int maxDescriptors() {
        return (HEADER_ARENA - NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE - Integer.BYTES) / NbdReplyEncoder.BLOCK_DESCRIPTOR_SIZE;
    }

    /** The arena, positioned where the next header goes; flushes first when it or the queue is full. */
    private ByteBuffer header() throws IOException {
        if (queued + 2 > MAX_QUEUED || arena.remaining() < MAX_HEADER) {
            flush();
        }
        arena.mark();
        return arena;
    }

    private void endHeader(ByteBuffer data) throws IOException {
        int end = arena.position();
        arena.reset();
        int start = arena.position();
        arena.position(end);
        ByteBuffer h = arena.slice(start, end - start);
        queue[queued++] = h;
        queuedBytes += h.remaining();
        if (data != null && data.hasRemaining()) {
            queue[queued++] = data;
            queuedBytes += data.remaining();
        }
        if (queuedBytes >= MAX_QUEUED_BYTES) {
            flush();
        }
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
