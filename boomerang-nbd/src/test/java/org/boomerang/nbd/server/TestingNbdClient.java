package org.boomerang.nbd.server;

import static org.boomerang.nbd.protocol.NbdProtocol.*;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level NBD client for tests that must send what real clients never send: it exposes the raw
 * wire (send any bytes, read exact replies) next to a correct handshake.
 */
final class TestingNbdClient implements AutoCloseable {
    final SocketChannel channel;
    long exportSize;
    int transmissionFlags;

    private TestingNbdClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects and reads the greeting; the client flags are not sent yet. */
    static TestingNbdClient connect(int port) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        TestingNbdClient c = new TestingNbdClient(ch);
        ByteBuffer greeting = c.read(18);
        if (greeting.getLong() != NBDMAGIC || greeting.getLong() != IHAVEOPT) {
            throw new IOException("bad greeting");
        }
        return c;
    }

    /** Connects, sends client flags (fixed newstyle, no zeroes), optionally structured replies, then GO. */
    static TestingNbdClient open(int port, String export, boolean structured) throws IOException {
        TestingNbdClient c = connect(port);
        c.send(ByteBuffer.allocate(4).putInt(CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES).flip());
        if (structured) {
            c.option(OPT_STRUCTURED_REPLY, new byte[0]);
            c.expectReply(OPT_STRUCTURED_REPLY, REP_ACK);
        }
        c.go(export);
        return c;
    }

    void go(String export) throws IOException {
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        option(OPT_GO, ByteBuffer.allocate(4 + name.length + 2).putInt(name.length).put(name).putShort((short) 0).array());
        while (true) {
            OptionReply r = readOptionReply();
            if (r.type == REP_ACK) {
                return;
            }
            if (r.type != REP_INFO) {
                throw new IOException("GO failed with reply type " + Integer.toHexString(r.type));
            }
            if (r.data.getShort(0) == INFO_EXPORT) {
                exportSize = r.data.getLong(2);
                transmissionFlags = Short.toUnsignedInt(r.data.getShort(10));
            }
        }
    }

    void option(int option, byte[] data) throws IOException {
        send(ByteBuffer.allocate(16 + data.length).putLong(IHAVEOPT).putInt(option).putInt(data.length).put(data).flip());
    }

    record OptionReply(int option, int type, ByteBuffer data) {}

    OptionReply readOptionReply() throws IOException {
        ByteBuffer h = read(20);
        if (h.getLong() != OPTION_REPLY_MAGIC) {
            throw new IOException("bad option reply magic");
        }
        int option = h.getInt();
        int type = h.getInt();
        int length = h.getInt();
        return new OptionReply(option, type, read(length));
    }

    OptionReply expectReply(int option, int type) throws IOException {
        OptionReply r = readOptionReply();
        if (r.option != option || r.type != type) {
            throw new IOException("expected reply " + Integer.toHexString(type) + " to option " + option + " but got "
                    + Integer.toHexString(r.type) + " to " + r.option);
        }
        return r;
    }

    void request(int flags, int type, long cookie, long offset, long length) throws IOException {
        send(header(flags, type, cookie, offset, length));
    }

    static ByteBuffer header(int flags, int type, long cookie, long offset, long length) {
        return ByteBuffer.allocate(REQUEST_HEADER_SIZE).putInt(REQUEST_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putLong(offset).putInt((int) length).flip();
    }

    record SimpleReply(int error, long cookie) {}

    SimpleReply readSimple() throws IOException {
        if (read(4).getInt() != SIMPLE_REPLY_MAGIC) {
            throw new IOException("bad simple reply magic");
        }
        return simpleAfterMagic();
    }

    record Chunk(int flags, int type, long cookie, ByteBuffer payload) {
        boolean done() {
            return (flags & REPLY_FLAG_DONE) != 0;
        }
    }

    Chunk readChunk() throws IOException {
        if (read(4).getInt() != STRUCTURED_REPLY_MAGIC) {
            throw new IOException("bad structured reply magic");
        }
        return chunkAfterMagic();
    }

    /** The next reply, a {@link SimpleReply} or a {@link Chunk}, told apart by its magic. */
    Object readReply() throws IOException {
        int magic = read(4).getInt();
        return switch (magic) {
            case SIMPLE_REPLY_MAGIC -> simpleAfterMagic();
            case STRUCTURED_REPLY_MAGIC -> chunkAfterMagic();
            default -> throw new IOException("bad reply magic " + Integer.toHexString(magic));
        };
    }

    private SimpleReply simpleAfterMagic() throws IOException {
        ByteBuffer h = read(SIMPLE_REPLY_HEADER_SIZE - 4);
        return new SimpleReply(h.getInt(), h.getLong());
    }

    private Chunk chunkAfterMagic() throws IOException {
        ByteBuffer h = read(STRUCTURED_REPLY_HEADER_SIZE - 4);
        int flags = Short.toUnsignedInt(h.getShort());
        int type = Short.toUnsignedInt(h.getShort());
        long cookie = h.getLong();
        int length = h.getInt();
        return new Chunk(flags, type, cookie, read(length));
    }

    void send(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    void send(byte[] bytes) throws IOException {
        send(ByteBuffer.wrap(bytes));
    }

    ByteBuffer read(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new EOFException("server closed the connection");
            }
        }
        return buf.flip();
    }

    /** True when the server closed the connection (reads end of stream) rather than sending anything. */
    boolean serverClosed() throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            return channel.read(one) < 0;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
