package org.boomerang.nbd.client;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.boomerang.nbd.protocol.NbdProtocol;

/**
 * One NBD connection in the transmission phase, with pipelined requests: any number of threads
 * submit requests, each gets a future, and one reader thread matches the server's simple replies to
 * them by cookie (replies may come in any order, as the protocol allows).
 *
 * <pre>
 * request := REQUEST_MAGIC:u32 flags:u16 type:u16 cookie:u64 offset:u64 length:u32 [payload, for WRITE]
 * reply   := simple | chunk+
 * simple  := SIMPLE_REPLY_MAGIC:u32 error:u32 cookie:u64 [length bytes of data, for a successful READ]
 * chunk   := STRUCTURED_REPLY_MAGIC:u32 flags:u16 type:u16 cookie:u64 length:u32 payload   (last has DONE)
 * </pre>
 * Structured replies are used when the handshake agreed to them (reads may then come as data and
 * hole chunks in any order; NBD_CMD_BLOCK_STATUS needs them).
 * At most {@link #MAX_IN_FLIGHT} requests are outstanding; a caller blocks past that, which bounds the
 * memory both sides hold. A request larger than {@link ExportInfo#maximumPayload()} is the caller's
 * job to split ({@link NbdBlockDevice} does).
 *
 * <p>Thread-safety: safe for concurrent use. Ownership: the client owns its socket and reader thread;
 * {@link #close()} sends NBD_CMD_DISC, closes the socket and fails what is still in flight.
 */
public final class NbdClient implements AutoCloseable {
    /** Requests outstanding at once; enough to keep a loopback or LAN link busy with 1–4 MiB requests. */
    public static final int MAX_IN_FLIGHT = 16;

    private final NbdUri uri;
    private final SocketChannel channel;
    private final ExportInfo export;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private final AtomicLong cookies = new AtomicLong();
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread reader;
    private volatile IOException failure;

    private NbdClient(NbdUri uri, SocketChannel channel, ExportInfo export) {
        this.uri = uri;
        this.channel = channel;
        this.export = export;
        NbdReplyReader replies = new NbdReplyReader(uri, channel, export, pending, this::fail, closed::get);
        this.reader = Thread.ofPlatform().daemon().name("nbd-client-reader " + uri).unstarted(replies);
    }

    /** Connects, runs the fixed newstyle handshake with OPT_GO and starts the reply reader. */
    public static NbdClient connect(NbdUri uri) throws IOException {
        requireNonNull(uri, "uri is null");
        SocketChannel channel;
        try {
            channel = SocketChannel.open(new InetSocketAddress(uri.host(), uri.port()));
        } catch (IOException e) {
            throw new NbdClientException(NbdClientError.NBD_CLIENT_CONNECT_FAILED,
                    "cannot connect to the NBD server at " + uri.host() + ":" + uri.port() + ": " + e.getMessage(),
                    "start the server first (e.g. 'qemu-nbd' or 'boomerang nbd serve') and check host and port", e);
        }
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ExportInfo export = new NbdHandshake(channel, uri).negotiate();
            NbdClient client = new NbdClient(uri, channel, export);
            client.reader.start();
            return client;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public NbdUri uri() {
        return uri;
    }

    public ExportInfo export() {
        return export;
    }

    /** Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}; completes when they are there. */
    public CompletableFuture<Void> read(long offset, ByteBuffer dst) throws IOException {
        return submit(NbdProtocol.CMD_READ, 0, offset, dst.remaining(), null, dst);
    }

    /** Writes {@code src} at {@code offset}; with {@code fua} the server makes it durable before replying. */
    public CompletableFuture<Void> write(long offset, ByteBuffer src, boolean fua) throws IOException {
        checkWritable();
        int flags = fua && export.has(NbdProtocol.TFLAG_SEND_FUA) ? NbdProtocol.CMD_FLAG_FUA : 0;
        return submit(NbdProtocol.CMD_WRITE, flags, offset, src.remaining(), src, null);
    }

    public CompletableFuture<Void> flush() throws IOException {
        if (!export.has(NbdProtocol.TFLAG_SEND_FLUSH)) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(NbdProtocol.CMD_FLUSH, 0, 0, 0, null, null);
    }

    /** Sends NBD_CMD_TRIM; callers check {@link ExportInfo#has} for {@code TFLAG_SEND_TRIM} first. */
    public CompletableFuture<Void> trim(long offset, int length) throws IOException {
        checkWritable();
        return submit(NbdProtocol.CMD_TRIM, 0, offset, length, null, null);
    }

    /** Sends NBD_CMD_WRITE_ZEROES; callers check for {@code TFLAG_SEND_WRITE_ZEROES} first. */
    public CompletableFuture<Void> writeZeroes(long offset, int length, boolean mayUnmap, boolean fua) throws IOException {
        checkWritable();
        int flags = (mayUnmap ? 0 : NbdProtocol.CMD_FLAG_NO_HOLE)
                | (fua && export.has(NbdProtocol.TFLAG_SEND_FUA) ? NbdProtocol.CMD_FLAG_FUA : 0);
        return submit(NbdProtocol.CMD_WRITE_ZEROES, flags, offset, length, null, null);
    }

    /**
     * Asks for the allocation of {@code [offset, offset + length)} (NBD_CMD_BLOCK_STATUS on
     * {@code base:allocation}); the server may answer for a shorter prefix. Returns
     * {@code (length, flags)} pairs in order from {@code offset}, flags as {@code NBD_STATE_HOLE|ZERO}.
     * Only when {@link ExportInfo#reportsAllocation()}.
     */
    public CompletableFuture<List<long[]>> blockStatus(long offset, int length) throws IOException {
        if (!export.reportsAllocation()) {
            throw new IllegalStateException("the server reports no allocation (no base:allocation context)");
        }
        PendingRequest request = send(NbdProtocol.CMD_BLOCK_STATUS, 0, offset, length, null, null);
        return request.done.thenApply(v -> List.copyOf(request.status));
    }

    private CompletableFuture<Void> submit(int command, int flags, long offset, int length, ByteBuffer payload,
            ByteBuffer readInto) throws IOException {
        return send(command, flags, offset, length, payload, readInto).done;
    }

    private PendingRequest send(int command, int flags, long offset, int length, ByteBuffer payload, ByteBuffer readInto)
            throws IOException {
        checkOpen();
        slots.acquireUninterruptibly();
        long cookie = cookies.incrementAndGet();
        PendingRequest request = new PendingRequest(command, offset, readInto);
        CompletableFuture<Void> done = request.done;
        done.whenComplete((v, e) -> slots.release());
        pending.put(cookie, request);
        ByteBuffer header = ByteBuffer.allocate(NbdProtocol.REQUEST_HEADER_SIZE);
        header.putInt(NbdProtocol.REQUEST_MAGIC).putShort((short) flags).putShort((short) command)
                .putLong(cookie).putLong(offset).putInt(length).flip();
        sendLock.lock();
        try {
            checkOpen();
            if (payload == null) {
                writeFully(header);
            } else {
                ByteBuffer body = payload.duplicate();
                ByteBuffer[] parts = {header, body};
                while (body.hasRemaining() || header.hasRemaining()) {
                    channel.write(parts);
                }
            }
        } catch (IOException e) {
            pending.remove(cookie);
            done.completeExceptionally(e);
            fail(e);
            throw disconnected(e);
        } catch (RuntimeException e) {
            pending.remove(cookie);
            done.completeExceptionally(e);
            throw e;
        } finally {
            sendLock.unlock();
        }
        return request;
    }

    private void readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new EOFException("the NBD server " + uri + " closed the connection");
            }
        }
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        for (Long cookie : pending.keySet()) {
            PendingRequest p = pending.remove(cookie);
            if (p != null) {
                p.done.completeExceptionally(disconnected(cause));
            }
        }
    }

    private NbdClientException disconnected(IOException cause) {
        return new NbdClientException(NbdClientError.NBD_CLIENT_DISCONNECTED,
                "the connection to " + uri + " is lost: " + cause.getMessage(),
                "check that the server is still running, then run the operation again", cause);
    }

    private void checkOpen() {
        IOException f = failure;
        if (f != null) {
            throw disconnected(f);
        }
        if (closed.get()) {
            throw disconnected(new EOFException("the client was closed"));
        }
    }

    private void checkWritable() {
        if (export.readOnly()) {
            throw new NbdClientException(NbdClientError.NBD_CLIENT_READ_ONLY, "the export " + uri + " is read-only",
                    "export it writable on the server (e.g. without qemu-nbd --read-only)");
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (failure == null) {
                ByteBuffer disc = ByteBuffer.allocate(NbdProtocol.REQUEST_HEADER_SIZE);
                disc.putInt(NbdProtocol.REQUEST_MAGIC).putShort((short) 0).putShort((short) NbdProtocol.CMD_DISC)
                        .putLong(cookies.incrementAndGet()).putLong(0).putInt(0).flip();
                sendLock.lock();
                try {
                    writeFully(disc);
                } catch (IOException e) {
                    // The server is gone already; closing is all that is left to do.
                } finally {
                    sendLock.unlock();
                }
            }
        } finally {
            channel.close();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "NbdClient[" + uri + ", " + export.size() + " bytes]";
    }
}
