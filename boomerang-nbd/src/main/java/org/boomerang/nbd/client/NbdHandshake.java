package org.boomerang.nbd.client;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * The client side of the fixed newstyle handshake (doc/proto.md "Fixed newstyle negotiation").
 *
 * <pre>
 * server: NBDMAGIC:8 IHAVEOPT:8 handshakeFlags:u16
 * client: clientFlags:u32                         FIXED_NEWSTYLE, and NO_ZEROES when offered
 * client: IHAVEOPT:8 OPT_STRUCTURED_REPLY:u32 0:u32        server: REP_ACK (or an error: simple replies only)
 * client: IHAVEOPT:8 OPT_SET_META_CONTEXT:u32 len:u32 nameLen:u32 name 1:u32 queryLen:u32 "base:allocation"
 * server: REP_META_CONTEXT id:u32 "base:allocation" ... REP_ACK              (only after structured replies)
 * client: IHAVEOPT:8 OPT_GO:u32 len:u32 nameLen:u32 name infoCount:u16 (NBD_INFO_BLOCK_SIZE):u16
 * server: ( OPTION_REPLY_MAGIC:8 OPT_GO:u32 replyType:u32 len:u32 data )*   REP_INFO... then REP_ACK
 * </pre>
 * A server that answers OPT_GO with {@code NBD_REP_ERR_UNSUP} gets the old {@code NBD_OPT_EXPORT_NAME}
 * instead (size:u64 flags:u16, then 124 zero bytes unless NO_ZEROES was agreed). Structured replies
 * and the allocation context are optional: a server that refuses them gets simple replies only and
 * the client reports no holes.
 *
 * <p>Not thread-safe: runs once on a fresh connection before any other use of it.
 */
final class NbdHandshake {
    private static final int OPTION_HEADER_SIZE = 16;
    private static final int OPTION_REPLY_HEADER_SIZE = 20;
    private static final int EXPORT_NAME_REPLY_SIZE = 10;
    private static final int LEGACY_ZERO_PAD = 124;
    private static final int DEFAULT_MINIMUM_BLOCK = 1;
    private static final int DEFAULT_PREFERRED_BLOCK = 4096;

    private final SocketChannel channel;
    private final NbdUri uri;

    NbdHandshake(SocketChannel channel, NbdUri uri) {
        this.channel = requireNonNull(channel, "channel is null");
        this.uri = requireNonNull(uri, "uri is null");
    }

    ExportInfo negotiate() throws IOException {
        ByteBuffer greeting = readFully(18);
        if (greeting.getLong() != NbdProtocol.NBDMAGIC || greeting.getLong() != NbdProtocol.IHAVEOPT) {
            throw failed("the server at " + uri.host() + ":" + uri.port() + " does not speak newstyle NBD");
        }
        int serverFlags = Short.toUnsignedInt(greeting.getShort());
        if ((serverFlags & NbdProtocol.FLAG_FIXED_NEWSTYLE) == 0) {
            throw failed("the server does not offer the fixed newstyle handshake");
        }
        boolean noZeroes = (serverFlags & NbdProtocol.FLAG_NO_ZEROES) != 0;
        int clientFlags = NbdProtocol.CLIENT_FLAG_FIXED_NEWSTYLE | (noZeroes ? NbdProtocol.CLIENT_FLAG_NO_ZEROES : 0);
        writeFully(ByteBuffer.allocate(4).putInt(0, clientFlags));

        byte[] name = uri.exportName().getBytes(StandardCharsets.UTF_8);
        boolean structured = requestStructuredReplies();
        long context = structured ? requestAllocationContext(name) : ExportInfo.NO_CONTEXT;
        ByteBuffer go = ByteBuffer.allocate(OPTION_HEADER_SIZE + 4 + name.length + 2 + 2);
        go.putLong(NbdProtocol.IHAVEOPT).putInt(NbdProtocol.OPT_GO).putInt(4 + name.length + 2 + 2)
                .putInt(name.length).put(name).putShort((short) 1).putShort((short) NbdProtocol.INFO_BLOCK_SIZE).flip();
        writeFully(go);
        return readGoReplies(name, noZeroes, structured, context);
    }

    /** NBD_OPT_STRUCTURED_REPLY: true when the server acknowledges it; an error reply just means no. */
    private boolean requestStructuredReplies() throws IOException {
        sendOption(NbdProtocol.OPT_STRUCTURED_REPLY, ByteBuffer.allocate(0));
        while (true) {
            OptionReply reply = readOptionReply(NbdProtocol.OPT_STRUCTURED_REPLY);
            if (reply.type == NbdProtocol.REP_ACK || reply.type < 0) {
                return reply.type == NbdProtocol.REP_ACK;
            }
        }
    }

    /** NBD_OPT_SET_META_CONTEXT for base:allocation: its context id, or NO_CONTEXT when the server has none. */
    private long requestAllocationContext(byte[] name) throws IOException {
        byte[] query = NbdProtocol.META_CONTEXT_BASE_ALLOCATION.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer data = ByteBuffer.allocate(4 + name.length + 4 + 4 + query.length);
        data.putInt(name.length).put(name).putInt(1).putInt(query.length).put(query).flip();
        sendOption(NbdProtocol.OPT_SET_META_CONTEXT, data);
        long context = ExportInfo.NO_CONTEXT;
        while (true) {
            OptionReply reply = readOptionReply(NbdProtocol.OPT_SET_META_CONTEXT);
            if (reply.type == NbdProtocol.REP_META_CONTEXT && reply.data.remaining() >= 4) {
                int id = reply.data.getInt();
                String got = StandardCharsets.US_ASCII.decode(reply.data).toString();
                if (got.equals(NbdProtocol.META_CONTEXT_BASE_ALLOCATION)) {
                    context = Integer.toUnsignedLong(id);
                }
            } else if (reply.type == NbdProtocol.REP_ACK || reply.type < 0) {
                return reply.type < 0 ? ExportInfo.NO_CONTEXT : context;
            }
        }
    }

    private record OptionReply(int type, ByteBuffer data) {}

    private void sendOption(int option, ByteBuffer data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(OPTION_HEADER_SIZE);
        header.putLong(NbdProtocol.IHAVEOPT).putInt(option).putInt(data.remaining()).flip();
        writeFully(header);
        writeFully(data);
    }

    private OptionReply readOptionReply(int expectedOption) throws IOException {
        ByteBuffer header = readFully(OPTION_REPLY_HEADER_SIZE);
        if (header.getLong() != NbdProtocol.OPTION_REPLY_MAGIC) {
            throw failed("bad option reply magic");
        }
        int option = header.getInt();
        int type = header.getInt();
        int length = header.getInt();
        if (option != expectedOption || length < 0 || length > NbdProtocol.MAX_OPTION_LENGTH) {
            throw failed("unexpected option reply option=" + option + " length=" + length);
        }
        return new OptionReply(type, readFully(length));
    }

    private ExportInfo readGoReplies(byte[] name, boolean noZeroes, boolean structured, long context) throws IOException {
        long size = -1;
        int flags = 0;
        int minimum = DEFAULT_MINIMUM_BLOCK;
        int preferred = DEFAULT_PREFERRED_BLOCK;
        int maximum = ExportInfo.DEFAULT_MAXIMUM_PAYLOAD;
        while (true) {
            ByteBuffer header = readFully(OPTION_REPLY_HEADER_SIZE);
            if (header.getLong() != NbdProtocol.OPTION_REPLY_MAGIC) {
                throw failed("bad option reply magic");
            }
            int option = header.getInt();
            int type = header.getInt();
            int length = header.getInt();
            if (option != NbdProtocol.OPT_GO || length < 0 || length > NbdProtocol.MAX_OPTION_LENGTH) {
                throw failed("unexpected option reply option=" + option + " length=" + length);
            }
            ByteBuffer data = readFully(length);
            if (type == NbdProtocol.REP_ACK) {
                if (size < 0) {
                    throw failed("the server acknowledged OPT_GO without NBD_INFO_EXPORT");
                }
                return new ExportInfo(size, flags, minimum, preferred, Math.min(maximum, ExportInfo.DEFAULT_MAXIMUM_PAYLOAD),
                        structured, context);
            }
            if (type == NbdProtocol.REP_INFO && length >= 2) {
                int info = Short.toUnsignedInt(data.getShort());
                if (info == NbdProtocol.INFO_EXPORT && length >= 12) {
                    size = data.getLong();
                    flags = Short.toUnsignedInt(data.getShort());
                } else if (info == NbdProtocol.INFO_BLOCK_SIZE && length >= 14) {
                    minimum = data.getInt();
                    preferred = data.getInt();
                    maximum = data.getInt();
                }
                continue;
            }
            if (type == NbdProtocol.REP_ERR_UNSUP) {
                return exportNameFallback(name, noZeroes, structured, context);
            }
            if (type == NbdProtocol.REP_ERR_UNKNOWN) {
                throw new NbdClientException(NbdClientError.NBD_CLIENT_EXPORT_NOT_FOUND,
                        "the server at " + uri.host() + ":" + uri.port() + " has no export '" + uri.exportName() + "'",
                        "list its exports with 'nbdinfo --list nbd://" + uri.host() + ":" + uri.port() + "' and fix the URI");
            }
            if (type < 0) {
                String message = new String(data.array(), data.position(), data.remaining(), StandardCharsets.UTF_8);
                throw failed("the server refused OPT_GO (reply type 0x" + Integer.toHexString(type) + ")"
                        + (message.isEmpty() ? "" : ": " + message));
            }
            // Other informational replies are skipped, as the protocol asks clients to do.
        }
    }

    private ExportInfo exportNameFallback(byte[] name, boolean noZeroes, boolean structured, long context) throws IOException {
        ByteBuffer option = ByteBuffer.allocate(OPTION_HEADER_SIZE + name.length);
        option.putLong(NbdProtocol.IHAVEOPT).putInt(NbdProtocol.OPT_EXPORT_NAME).putInt(name.length).put(name).flip();
        writeFully(option);
        ByteBuffer reply = readFully(EXPORT_NAME_REPLY_SIZE + (noZeroes ? 0 : LEGACY_ZERO_PAD));
        long size = reply.getLong();
        int flags = Short.toUnsignedInt(reply.getShort());
        // What was agreed before (structured replies, meta context) holds for this session too.
        return new ExportInfo(size, flags, DEFAULT_MINIMUM_BLOCK, DEFAULT_PREFERRED_BLOCK, ExportInfo.DEFAULT_MAXIMUM_PAYLOAD,
                structured, context);
    }

    private ByteBuffer readFully(int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new EOFException("the server closed the connection during the handshake");
            }
        }
        return buf.flip();
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private NbdClientException failed(String why) {
        return new NbdClientException(NbdClientError.NBD_CLIENT_HANDSHAKE_FAILED, "NBD handshake with " + uri + " failed: " + why,
                "check that " + uri.host() + ":" + uri.port() + " is an NBD server (qemu-nbd, nbdkit, 'boomerang nbd serve')");
    }
}
