package org.boomerang.nbd.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * Decodes the transmission-phase request stream, in any split the network delivers it.
 *
 * <pre>
 * stream   := request*
 * request  := magic:u32 (0x25609513) flags:u16 type:u16 cookie:u64 offset:u64 length:u32 payload
 * payload  := length bytes when type = NBD_CMD_WRITE, else nothing
 * (all integers big-endian)
 * </pre>
 *
 * <p>State machine:
 * <pre>
 *   HEADER --28 bytes, write--> PAYLOAD --length bytes--> HEADER
 *   HEADER --28 bytes, other--> HEADER
 *   HEADER --bad magic-------> FAILED (terminal: the connection must be dropped)
 * </pre>
 * {@link #decodeHeader} consumes header bytes from the input and returns the request once all 28 have
 * arrived. A write's payload is then taken with {@link #readPayload} (from buffered input) and
 * {@link #payloadReadDirectly} (bytes the caller read from the socket straight into its own buffer),
 * so large payloads need not pass through the decoder's input buffer. Whether a request is valid for an
 * export (range, flags, read-only) is the server's question, not the decoder's: the decoder only frames.
 *
 * <p>Thread-safety: not thread-safe; one decoder per connection, used by its reader.
 */
public final class NbdRequestDecoder {
    /** The decoder's states. */
    public enum State {
        HEADER,
        PAYLOAD,
        FAILED;

        public boolean isTerminal() {
            return this == FAILED;
        }
    }

    private final ByteBuffer header = ByteBuffer.allocate(NbdProtocol.REQUEST_HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
    private State state = State.HEADER;
    private long payloadRemaining;

    public State state() {
        return state;
    }

    /** True when some but not all bytes of a header have arrived. */
    public boolean hasPartialHeader() {
        return header.position() > 0;
    }

    /** The payload bytes of the current write still to come; 0 outside {@link State#PAYLOAD}. */
    public long payloadRemaining() {
        return payloadRemaining;
    }

    /**
     * Consumes header bytes from {@code in} and returns the request when its header is complete, or
     * {@code null} when more bytes are needed ({@code in} is then empty).
     *
     * @throws NbdProtocolException with {@link NbdError#BAD_MAGIC} when the header does not start with the
     *     request magic; the decoder is then {@link State#FAILED}
     * @throws IllegalStateException when called outside {@link State#HEADER}
     */
    public NbdRequest decodeHeader(ByteBuffer in) {
        switch (state) {
            case HEADER -> { }
            case PAYLOAD -> throw new IllegalStateException("the payload of the previous write is not consumed yet: "
                    + payloadRemaining + " bytes remain");
            case FAILED -> throw new IllegalStateException("the decoder failed on bad input; drop the connection");
        }
        if (header.position() == 0 && in.remaining() >= NbdProtocol.REQUEST_HEADER_SIZE) {
            // The common case: a whole header is buffered; decode it in place without a copy.
            int start = in.position();
            NbdRequest request = parse(in, start);
            in.position(start + NbdProtocol.REQUEST_HEADER_SIZE);
            return accept(request);
        }
        while (header.hasRemaining() && in.hasRemaining()) {
            header.put(in.get());
        }
        if (header.hasRemaining()) {
            return null;
        }
        NbdRequest request = parse(header, 0);
        header.clear();
        return accept(request);
    }

    /** Moves up to {@link #payloadRemaining()} bytes from {@code in} into {@code dst}; returns how many. */
    public int readPayload(ByteBuffer in, ByteBuffer dst) {
        int n = (int) Math.min(Math.min(in.remaining(), dst.remaining()), payloadRemaining);
        if (n > 0) {
            ByteBuffer slice = in.slice(in.position(), n);
            dst.put(slice);
            in.position(in.position() + n);
            payloadConsumed(n);
        }
        return n;
    }

    /** Drops up to {@link #payloadRemaining()} bytes of {@code in} (a refused write's payload); returns how many. */
    public int skipPayload(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), payloadRemaining);
        in.position(in.position() + n);
        payloadConsumed(n);
        return n;
    }

    /** Tells the decoder that the caller read {@code n} payload bytes itself, bypassing the input buffer. */
    public void payloadReadDirectly(long n) {
        if (state != State.PAYLOAD || n < 0 || n > payloadRemaining) {
            throw new IllegalStateException("read " + n + " payload bytes directly but " + payloadRemaining + " remain in state " + state);
        }
        payloadConsumed(n);
    }

    private void payloadConsumed(long n) {
        payloadRemaining -= n;
        if (payloadRemaining == 0) {
            state = State.HEADER;
        }
    }

    private NbdRequest accept(NbdRequest request) {
        long payload = request.payloadLength();
        if (payload > 0) {
            payloadRemaining = payload;
            state = State.PAYLOAD;
        }
        return request;
    }

    private NbdRequest parse(ByteBuffer buf, int at) {
        int magic = buf.getInt(at);
        if (magic != NbdProtocol.REQUEST_MAGIC) {
            state = State.FAILED;
            throw new NbdProtocolException(NbdError.BAD_MAGIC,
                    String.format("request magic is 0x%08x, expected 0x%08x", magic, NbdProtocol.REQUEST_MAGIC),
                    "the client is not speaking NBD transmission or lost framing; it must reconnect");
        }
        int flags = Short.toUnsignedInt(buf.getShort(at + 4));
        int type = Short.toUnsignedInt(buf.getShort(at + 6));
        long cookie = buf.getLong(at + 8);
        long offset = buf.getLong(at + 16);
        long length = Integer.toUnsignedLong(buf.getInt(at + 24));
        return new NbdRequest(flags, type, cookie, offset, length);
    }
}
