package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Exact-length blocking reads and complete writes on a socket, for the handshake where frames are small
 * and strictly alternating. Reads never take more bytes than asked, so nothing is buffered past the
 * handshake when transmission begins.
 *
 * <p>Thread-safety: not thread-safe; owned by the connection's thread during the handshake.
 */
final class SocketWire {
    private final SocketChannel channel;

    SocketWire(SocketChannel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    /** Reads exactly {@code n} bytes into a new buffer, flipped for reading. */
    ByteBuffer readExactly(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        readFully(buf);
        return buf.flip();
    }

    void readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new EOFException("the peer closed the connection with " + buf.remaining() + " bytes of a frame missing");
            }
        }
    }

    /** Reads and drops {@code n} bytes (an option this server refuses without looking at it). */
    void skip(long n) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(n, 64 * 1024));
        long left = n;
        while (left > 0) {
            scratch.clear().limit((int) Math.min(left, scratch.capacity()));
            readFully(scratch);
            left -= scratch.limit();
        }
    }

    void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
