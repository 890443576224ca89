package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.boomerang.blockdev.BlockDevice;
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
 * burst of pipelined requests costs one {@code read} call. A write whose payload is already buffered is
 * written from the input buffer itself; otherwise the payload goes into a pooled direct buffer: the part
 * already buffered is copied, the rest is read from the socket straight into it. After a large write
 * (at least {@link #LARGE_WRITE} bytes) the next read takes just one request header, so that a stream of
 * large writes lands straight in the pooled buffers instead of being read ahead into the input buffer and
 * copied from there (the same number of {@code read} calls, and no copy of the up to 256 KiB read ahead). A
 * refused write's payload is read and dropped so framing holds. A wrong magic or a truncated frame ends
 * the connection without touching the export. Commands that may wait on the disk run beside the reader
 * (see {@code dispatch}); READs of ranges not in memory are held back and prefetched together (see
 * {@code defer}). NBD_CMD_DISC, end of input (the server closing) and errors all end the loop
 * once every request in hand is answered.
 *
 * <p>Thread-safety: created and {@link #run()} once by the connection's thread, whose replies it queues.
 */
final class TransmissionSession {
    private static final int INPUT_BUFFER = 256 * 1024;
    /** A write at least this long makes the next read a header-only read (see the class comment). */
    static final int LARGE_WRITE = 128 * 1024;
    /** Requests of one connection processed at once; fio and qemu keep up to 16 outstanding. */
    static final int MAX_IN_FLIGHT = 16;
    /** Bytes of FUA write payloads that dispatched requests of one connection may hold at once. */
    static final int MAX_IN_FLIGHT_BYTES = 64 << 20;

    private final SocketChannel channel;
    private final Negotiated session;
    private final DirectBufferPool buffers;
    private final ReplySender replies;
    private final CommandExecutor executor;
    private final NbdRequestDecoder decoder = new NbdRequestDecoder();
    private final ServedExport export;
    /** READs held back until their ranges have been asked for together, see {@link #defer}. */
    private final ArrayDeque<NbdRequest> deferred = new ArrayDeque<>(MAX_IN_FLIGHT);
    private final ByteBuffer input;
    private final Executor workers;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Semaphore inFlightBytes = new Semaphore(MAX_IN_FLIGHT_BYTES);
    private final AtomicReference<Exception> workerFailure = new AtomicReference<>();
    /** The last request was a large write: read only a header next. */
    private boolean headerOnly;

    TransmissionSession(SocketChannel channel, Negotiated session, DirectBufferPool buffers, Executor workers,
            IntSupplier connections) {
        this.workers = requireNonNull(workers, "workers is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.session = requireNonNull(session, "session is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.replies = new ReplySender(channel, buffers);
        this.executor = new CommandExecutor(session, buffers, connections);
        this.export = session.export();
        this.input = ByteBuffer.allocateDirect(INPUT_BUFFER).flip();
    }

    /** Serves requests until the client disconnects or breaks the protocol; returns once all are answered. */
    void run() throws IOException {
        try {
            serve();
            replies.flush();
        } finally {
            inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
        }
    }

    private void serve() throws IOException {
        while (true) {
            NbdRequest request = decoder.decodeHeader(input);
            if (request == null) {
                runDeferred(); // before waiting for input: the client may be waiting for these replies
                if (!fill()) {
                    return; // clean end of input between requests
                }
                continue;
            }
            int errno = RequestCheck.errno(request, session);
            if (errno != 0) {
                skipPayload(request);
                executor.refuse(request, errno, describe(request, errno), replies);
                continue;
            }
            NbdCommand command = request.command().orElseThrow();
            headerOnly = command == NbdCommand.WRITE && request.length() >= LARGE_WRITE;
            if (command == NbdCommand.READ && !inMemory(request)) {
                defer(request);
                continue;
            }
            if (command == NbdCommand.DISC) {
                runDeferred();
                awaitInFlight();
                flushOnDisconnect();
                return;
            }
            if (command == NbdCommand.WRITE && runsInline(command, request) && input.remaining() >= request.length()) {
                // The whole payload is already buffered: write it from the input buffer, no copy. The slice
                // is dead before the input buffer is next compacted, since the write completes right here.
                ByteBuffer inPlace = input.slice(input.position(), (int) request.length());
                decoder.skipPayload(input);
                ServedExport.Mutation admitted = admit(command, request);
                if (admitted == ServedExport.Mutation.GONE) {
                    executor.refuseGone(request, replies);
                    continue;
                }
                try {
                    executor.mutate(command, request, inPlace, admitted.device(), replies);
                } finally {
                    export.endMutation(admitted);
                }
                continue;
            }
            ByteBuffer payload = null;
            if (command == NbdCommand.WRITE) {
                payload = buffers.take((int) request.length());
                try {
                    readPayload(payload);
                } catch (IOException | RuntimeException e) {
                    buffers.give(payload);
                    throw e;
                }
                payload.flip();
            }
            dispatch(command, request, payload);
        }
    }

    /**
     * Admits a mutation on the export (see the ordering guarantee of {@link ServedExport}); when it must wait
     * behind an overlapping one or a swap, the replies queued so far go out first, so no client waits for them
     * meanwhile. FLUSH takes an empty range: it waits out a swap only.
     */
    private ServedExport.Mutation admit(NbdCommand command, NbdRequest request) throws IOException {
        boolean ranged = command != NbdCommand.FLUSH;
        long offset = ranged ? request.offset() : 0;
        long length = ranged ? request.length() : 0;
        ServedExport.Mutation admitted = export.tryBeginMutation(offset, length);
        if (admitted == null) {
            replies.flush();
            admitted = export.beginMutation(offset, length);
        }
        return admitted;
    }

    private boolean inMemory(NbdRequest request) {
        BlockDevice device = export.peek();
        return device == null || device.inMemory(request.offset(), (int) request.length());
    }

    /** DISC: makes the writes of the export durable, as the client may expect; nothing when it was removed. */
    private void flushOnDisconnect() throws IOException {
        if (export.readOnly()) {
            return;
        }
        ServedExport.Mutation admitted = admit(NbdCommand.FLUSH, null);
        if (admitted != ServedExport.Mutation.GONE) {
            try {
                admitted.device().flush();
            } finally {
                export.endMutation(admitted);
            }
        }
    }

    /**
     * Runs a request that may wait on the disk (FLUSH, FUA, TRIM, WRITE_ZEROES) on a worker thread, so the
     * reader goes on with the next requests meanwhile; at most {@link #MAX_IN_FLIGHT} requests and
     * {@link #MAX_IN_FLIGHT_BYTES} bytes of payload run at once. READ and plain WRITE run right here: against
     * a cached device they are a memory copy or a sendfile, and a hand-off to another thread costs more than
     * it overlaps (measured with bench/nbd.sh on 2 cores: large READs on workers ran at half the speed); a
     * READ that must wait for the disk is deferred instead (see {@link #defer}). A
     * worker replies through its own {@link ReplySender.Batch}; one that cannot send its reply records the
     * failure and closes the channel, which ends the reader too.
     */
    private void dispatch(NbdCommand command, NbdRequest request, ByteBuffer payload) throws IOException {
        rethrowWorkerFailure();
        if (!mutates(command)) {
            executor.query(command, request, replies);
            return;
        }
        if (runsInline(command, request)) {
            try {
                ServedExport.Mutation admitted = admit(command, request);
                if (admitted == ServedExport.Mutation.GONE) {
                    executor.refuseGone(request, replies);
                    return;
                }
                try {
                    executor.mutate(command, request, payload, admitted.device(), replies);
                } finally {
                    export.endMutation(admitted);
                }
            } finally {
                if (payload != null) {
                    buffers.give(payload);
                }
            }
            return;
        }
        int bytes = payload == null ? 0 : payload.remaining();
        inFlight.acquireUninterruptibly();
        inFlightBytes.acquireUninterruptibly(bytes);
        ServedExport.Mutation admitted;
        try {
            // Taken here, by the reader, so that overlapping requests of this connection start in the order they came.
            admitted = admit(command, request);
        } catch (IOException | RuntimeException e) {
            releaseSlot(payload, bytes);
            throw e;
        }
        if (admitted == ServedExport.Mutation.GONE) {
            releaseSlot(payload, bytes);
            executor.refuseGone(request, replies);
            return;
        }
        workers.execute(() -> {
            ReplySender.Batch batch = replies.batch();
            try {
                try {
                    executor.mutate(command, request, payload, admitted.device(), batch);
                } finally {
                    export.endMutation(admitted); // before the reply leaves: a waiter need not wait for the socket
                }
                batch.send();
            } catch (IOException | RuntimeException e) {
                if (workerFailure.compareAndSet(null, e)) {
                    closeQuietly();
                }
            } finally {
                releaseSlot(payload, bytes);
            }
        });
    }

    private void releaseSlot(ByteBuffer payload, int bytes) {
        if (payload != null) {
            buffers.give(payload);
        }
        inFlightBytes.release(bytes);
        inFlight.release();
    }

    private static boolean mutates(NbdCommand command) {
        return switch (command) {
            case WRITE, FLUSH, TRIM, WRITE_ZEROES -> true;
            case READ, CACHE, BLOCK_STATUS, DISC -> false;
        };
    }

    /**
     * Holds back a READ whose range is not all in memory, after asking the device to start reading it in
     * ({@code BlockDevice.prefetch}, posix_fadvise WILLNEED), and goes on with the requests already buffered.
     * The held-back READs run, in order, once the buffered input is used up (before the reader waits for
     * more), when {@link #MAX_IN_FLIGHT} are held, or before a disconnect. So a burst of READs of cold ranges
     * puts all of them in the disk's queue at once, and each later read waits only for what is still on its
     * way, with no thread hand-off (nbdkit gets the same depth from sixteen threads per connection). Replies
     * may thus leave in another order than the requests came, which NBD allows: the client matches them by
     * cookie.
     */
    private void defer(NbdRequest request) throws IOException {
        BlockDevice device = export.peek();
        if (device != null) {
            device.prefetch(request.offset(), request.length());
        }
        deferred.add(request);
        if (deferred.size() >= MAX_IN_FLIGHT) {
            runDeferred();
        }
    }

    private void runDeferred() throws IOException {
        NbdRequest request;
        while ((request = deferred.poll()) != null) {
            executor.query(NbdCommand.READ, request, replies);
        }
    }

    private static boolean runsInline(NbdCommand command, NbdRequest request) {
        return switch (command) {
            case WRITE -> !request.hasFlag(NbdProtocol.CMD_FLAG_FUA);
            case READ, CACHE, BLOCK_STATUS, DISC -> true;
            case FLUSH, TRIM, WRITE_ZEROES -> false;
        };
    }

    /** Waits until every dispatched request has been answered. */
    void awaitInFlight() throws IOException {
        inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
        rethrowWorkerFailure();
    }

    private void rethrowWorkerFailure() throws IOException {
        Exception e = workerFailure.get();
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // the failure that made us close is already recorded
        }
    }

    private void readPayload(ByteBuffer payload) throws IOException {
        decoder.readPayload(input, payload);
        if (payload.hasRemaining()) {
            replies.flush();
        }
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
        replies.flush();
        input.compact();
        if (headerOnly && decoder.state() == NbdRequestDecoder.State.HEADER) {
            input.limit(Math.min(input.capacity(), input.position() + NbdProtocol.REQUEST_HEADER_SIZE));
        }
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
