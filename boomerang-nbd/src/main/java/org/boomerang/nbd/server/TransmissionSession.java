package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.boomerang.nbd.codec.NbdCommand;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.codec.NbdRequest;
import org.boomerang.nbd.codec.NbdRequestDecoder;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * The transmission phase of one connection: reads requests, checks them, runs them, and replies.
 *
 * <p>Input is read in large chunks into one direct buffer and decoded by {@link NbdRequestDecoder}, so a
 * burst of pipelined requests costs one {@code read} call. A write's payload goes into a pooled direct
 * buffer: the part already buffered is copied, the rest is read from the socket straight into it. A
 * refused write's payload is read and dropped so framing holds. A wrong magic or a truncated frame ends
 * the connection without touching the export. NBD_CMD_DISC, end of input (the server closing) and errors
 * all end the loop after the request in hand is answered.
 *
 * <p>Thread-safety: {@link #run()} is called once, by the connection's thread.
 */
final class TransmissionSession {
    private static final int INPUT_BUFFER = 256 * 1024;

    private final SocketChannel channel;
    private final Negotiated session;
    private final DirectBufferPool buffers;
    private final ReplySender replies;
    private final CommandExecutor executor;
    private final NbdRequestDecoder decoder = new NbdRequestDecoder();
    private final ByteBuffer input;

    TransmissionSession(SocketChannel channel, Negotiated session, DirectBufferPool buffers) {
        this.channel = requireNonNull(channel, "channel is null");
        this.session = requireNonNull(session, "session is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.replies = new ReplySender(channel);
        this.executor = new CommandExecutor(session, replies, buffers);
        this.input = ByteBuffer.allocateDirect(INPUT_BUFFER).flip();
    }

    /** Serves requests until the client disconnects or breaks the protocol. */
    void run() throws IOException {
        while (true) {
            NbdRequest request = decoder.decodeHeader(input);
            if (request == null) {
                if (!fill()) {
                    return; // clean end of input between requests
                }
                continue;
            }
            int errno = RequestCheck.errno(request, session);
            if (errno != 0) {
                skipPayload(request);
                executor.refuse(request, errno, describe(request, errno));
                continue;
            }
            NbdCommand command = request.command().orElseThrow();
            if (command == NbdCommand.DISC) {
                if (!session.export().readOnly()) {
                    session.export().device().flush();
                }
                return;
            }
            if (command == NbdCommand.WRITE) {
                ByteBuffer payload = buffers.take((int) request.length());
                try {
                    readPayload(payload);
                    executor.execute(command, request, payload.flip());
                } finally {
                    buffers.give(payload);
                }
            } else {
                executor.execute(command, request, null);
            }
        }
    }

    private void readPayload(ByteBuffer payload) throws IOException {
        decoder.readPayload(input, payload);
        while (payload.hasRemaining()) {
            int n = channel.read(payload);
            if (n < 0) {
                throw truncated();
            }
            decoder.payloadReadDirectly(n);
        }
    }

    private void skipPayload(NbdRequest request) throws IOException {
        while (decoder.state() == NbdRequestDecoder.State.PAYLOAD) {
            decoder.skipPayload(input);
            if (decoder.state() == NbdRequestDecoder.State.PAYLOAD && !fill()) {
                throw truncated();
            }
        }
    }

    /** Reads more input; false at end of stream with nothing pending. */
    private boolean fill() throws IOException {
        input.compact();
        int n;
        try {
            n = channel.read(input);
        } finally {
            input.flip();
        }
        if (n < 0) {
            if (decoder.state() == NbdRequestDecoder.State.HEADER && !input.hasRemaining() && !decoder.hasPartialHeader()) {
                return false;
            }
            throw truncated();
        }
        return true;
    }

    private static NbdProtocolException truncated() {
        return new NbdProtocolException(NbdError.TRUNCATED_FRAME, "the client closed the connection in the middle of a request",
                "nothing of the unfinished request was applied; the client must reconnect and resend it");
    }

    private String describe(NbdRequest request, int errno) {
        String what = request.command().map(Enum::name).orElse("command " + request.type());
        return switch (errno) {
            case NbdProtocol.EPERM -> what + " refused: export '" + session.export().name() + "' is read-only";
            case NbdProtocol.EOVERFLOW -> what + " of " + request.length() + " bytes exceeds the maximum of " + NbdProtocol.MAX_PAYLOAD;
            case NbdProtocol.ENOSPC, NbdProtocol.EINVAL -> what + " offset " + Long.toUnsignedString(request.offset()) + " length "
                    + request.length() + " flags " + request.flags() + " is not valid on an export of " + session.export().size() + " bytes";
            default -> what + " refused with errno " + errno;
        };
    }
}
