package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.nbd.codec.NbdReplyEncoder;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * Sends the replies of one connection. Each reply (all chunks of a structured reply) goes out whole under
 * one lock, so requests processed concurrently never interleave their bytes. Headers are encoded into a
 * reused direct buffer and written together with the data in one gathering write: no copy of the data.
 *
 * <p>Thread-safety: safe for concurrent use by the connection's workers.
 */
final class ReplySender {
    private static final int HEADER_BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_BUFFER);
    private final ByteBuffer[] pair = new ByteBuffer[2];

    ReplySender(SocketChannel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    /** Holds the connection for a multi-chunk reply; pair with {@link #unlock()}. */
    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    void simple(long cookie, int error) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.simple(header, cookie, error);
            writeHeader();
        } finally {
            lock.unlock();
        }
    }

    /** A successful simple READ reply: the header and then {@code data} from its position to its limit. */
    void simpleData(long cookie, ByteBuffer data) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.simple(header, cookie, 0);
            writeWith(data);
        } finally {
            lock.unlock();
        }
    }

    void offsetData(long cookie, long offset, ByteBuffer data, boolean done) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.offsetDataHeader(header, done, cookie, offset, data.remaining());
            writeWith(data);
        } finally {
            lock.unlock();
        }
    }

    void offsetHole(long cookie, long offset, int size, boolean done) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.offsetHole(header, done, cookie, offset, size);
            writeHeader();
        } finally {
            lock.unlock();
        }
    }

    void none(long cookie) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.none(header, cookie);
            writeHeader();
        } finally {
            lock.unlock();
        }
    }

    void structuredError(long cookie, int error, String message) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.error(header, cookie, error, message);
            writeHeader();
        } finally {
            lock.unlock();
        }
    }

    /** A final BLOCK_STATUS chunk; {@code descriptors} holds (length, status) pairs already encoded. */
    void blockStatus(long cookie, int contextId, ByteBuffer descriptors) throws IOException {
        lock.lock();
        try {
            header.clear();
            NbdReplyEncoder.blockStatusHeader(header, true, cookie, contextId,
                    descriptors.remaining() / NbdReplyEncoder.BLOCK_DESCRIPTOR_SIZE);
            writeWith(descriptors);
        } finally {
            lock.unlock();
        }
    }

    /** The most descriptors one BLOCK_STATUS reply carries. */
    static int maxDescriptors() {
        return (HEADER_BUFFER - NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE - Integer.BYTES) / NbdReplyEncoder.BLOCK_DESCRIPTOR_SIZE;
    }

    private void writeHeader() throws IOException {
        header.flip();
        while (header.hasRemaining()) {
            channel.write(header);
        }
    }

    private void writeWith(ByteBuffer data) throws IOException {
        header.flip();
        pair[0] = header;
        pair[1] = data;
        try {
            while (data.hasRemaining() || header.hasRemaining()) {
                channel.write(pair);
            }
        } finally {
            pair[1] = null;
        }
    }
}
