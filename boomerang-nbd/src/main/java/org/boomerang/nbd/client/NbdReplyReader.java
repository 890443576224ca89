package org.boomerang.nbd.client;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * The reply side of an {@link NbdClient} connection: one thread reads simple replies and structured
 * reply chunks and completes the matching {@link PendingRequest} by cookie. Any protocol violation or
 * I/O error ends the loop and is handed to {@code onFailure}, which fails every request in flight.
 *
 * <pre>
 * simple  := SIMPLE_REPLY_MAGIC:u32 error:u32 cookie:u64 [length bytes of data, for a successful READ]
 * chunk   := STRUCTURED_REPLY_MAGIC:u32 flags:u16 type:u16 cookie:u64 length:u32 payload   (last has DONE)
 * </pre>
 * Not thread-safe: run by exactly one thread.
 */
final class NbdReplyReader implements Runnable {
    private final NbdUri uri;
    private final SocketChannel channel;
    private final ExportInfo export;
    private final Map<Long, PendingRequest> pending;
    private final Consumer<IOException> onFailure;
    private final BooleanSupplier closed;

    NbdReplyReader(NbdUri uri, SocketChannel channel, ExportInfo export, Map<Long, PendingRequest> pending,
            Consumer<IOException> onFailure, BooleanSupplier closed) {
        this.uri = requireNonNull(uri, "uri is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.export = requireNonNull(export, "export is null");
        this.pending = requireNonNull(pending, "pending is null");
        this.onFailure = requireNonNull(onFailure, "onFailure is null");
        this.closed = requireNonNull(closed, "closed is null");
    }

    @Override
    public void run() {
        ByteBuffer magic = ByteBuffer.allocate(4);
        ByteBuffer simple = ByteBuffer.allocate(NbdProtocol.SIMPLE_REPLY_HEADER_SIZE - 4);
        ByteBuffer structured = ByteBuffer.allocate(NbdProtocol.STRUCTURED_REPLY_HEADER_SIZE - 4);
        try {
            while (true) {
                readFully(magic.clear());
                int m = magic.getInt(0);
                if (m == NbdProtocol.SIMPLE_REPLY_MAGIC) {
                    readFully(simple.clear());
                    simpleReply(simple.getInt(0), simple.getLong(4));
                } else if (m == NbdProtocol.STRUCTURED_REPLY_MAGIC && export.structuredReplies()) {
                    readFully(structured.clear());
                    structuredChunk(Short.toUnsignedInt(structured.getShort(0)), Short.toUnsignedInt(structured.getShort(2)),
                            structured.getLong(4), structured.getInt(12));
                } else {
                    throw new IOException("bad reply magic 0x" + Integer.toHexString(m));
                }
            }
        } catch (IOException e) {
            onFailure.accept(closed.getAsBoolean() ? new EOFException("the client was closed") : e);
        }
    }

    private void simpleReply(int error, long cookie) throws IOException {
        PendingRequest p = pending.remove(cookie);
        if (p == null) {
            throw new IOException("reply for unknown cookie " + cookie);
        }
        if (error != 0) {
            p.done.completeExceptionally(requestFailed(p, error, ""));
            return;
        }
        if (p.readInto != null) {
            readFully(p.readInto.duplicate());
        }
        p.done.complete(null);
    }

    /**
     * One chunk of a structured reply (doc/proto.md "Structured reply chunk message"):
     * <pre>
     * OFFSET_DATA  := offset:u64 data          OFFSET_HOLE := offset:u64 length:u32
     * BLOCK_STATUS := contextId:u32 (length:u32 flags:u32)*
     * ERROR        := errno:u32 messageLength:u16 message     ERROR_OFFSET := ... offset:u64
     * </pre>
     * The request completes at the chunk flagged DONE, failed if any chunk was an error.
     */
    private void structuredChunk(int flags, int type, long cookie, int length) throws IOException {
        PendingRequest p = pending.get(cookie);
        if (p == null || length < 0) {
            throw new IOException("structured reply for unknown cookie " + cookie + " or bad length " + length);
        }
        switch (type) {
            case NbdProtocol.REPLY_TYPE_NONE -> skip(length);
            case NbdProtocol.REPLY_TYPE_OFFSET_DATA -> {
                long offset = readLong();
                readFully(p.slice(offset, length - 8));
            }
            case NbdProtocol.REPLY_TYPE_OFFSET_HOLE -> {
                long offset = readLong();
                int size = readInt();
                ByteBuffer hole = p.slice(offset, size);
                while (hole.hasRemaining()) {
                    hole.put((byte) 0);
                }
            }
            case NbdProtocol.REPLY_TYPE_BLOCK_STATUS -> {
                long context = Integer.toUnsignedLong(readInt());
                ByteBuffer descriptors = ByteBuffer.allocate(length - 4);
                readFully(descriptors);
                descriptors.flip();
                while (context == export.allocationContext() && descriptors.remaining() >= 8) {
                    p.status.add(new long[] {Integer.toUnsignedLong(descriptors.getInt()), descriptors.getInt()});
                }
            }
            case NbdProtocol.REPLY_TYPE_ERROR, NbdProtocol.REPLY_TYPE_ERROR_OFFSET -> {
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(body);
                int errno = body.getInt(0);
                int messageLength = Math.min(Short.toUnsignedInt(body.getShort(4)), length - 6);
                String message = new String(body.array(), 6, Math.max(messageLength, 0), StandardCharsets.UTF_8);
                p.error = requestFailed(p, errno, message);
            }
            default -> {
                if ((type & (1 << 15)) != 0) {
                    p.error = requestFailed(p, NbdProtocol.EIO, "unknown error chunk type " + type);
                }
                skip(length); // unknown informational chunks are skipped, as the protocol asks
            }
        }
        if ((flags & NbdProtocol.REPLY_FLAG_DONE) != 0) {
            pending.remove(cookie);
            if (p.error != null) {
                p.done.completeExceptionally(p.error);
            } else {
                p.done.complete(null);
            }
        }
    }

    private NbdClientException requestFailed(PendingRequest p, int errno, String message) {
        return new NbdClientException(NbdClientError.NBD_CLIENT_REQUEST_FAILED,
                p.commandName() + " at offset " + p.offset + " failed on " + uri + " with errno " + errno
                        + (message.isEmpty() ? "" : ": " + message),
                "check the server's log and its disk; the request can be retried");
    }

    private long readLong() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8);
        readFully(b);
        return b.getLong(0);
    }

    private int readInt() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        readFully(b);
        return b.getInt(0);
    }

    private void skip(int length) throws IOException {
        readFully(ByteBuffer.allocate(length));
    }

    private void readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new EOFException("the NBD server " + uri + " closed the connection");
            }
        }
    }
}
