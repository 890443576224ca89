package org.boomerang.nbd.server;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.nbd.codec.NbdError;
import org.boomerang.nbd.codec.NbdProtocolException;
import org.boomerang.nbd.protocol.NbdProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NBD server (fixed-newstyle handshake, simple and structured replies, {@code base:allocation}) that
 * exports any {@link BlockDevice}s under names.
 *
 * <pre>{@code
 * try (NbdServer server = NbdServer.builder()
 *         .bind(InetAddress.getLoopbackAddress(), 0)       // port 0: an ephemeral port
 *         .export("disk", device, "the protected disk")
 *         .build()
 *         .start()) {
 *     int port = server.port();                            // the port actually bound
 *     // clients connect to nbd://127.0.0.1:port/disk
 * }                                                         // close(): in-flight requests finish, devices flushed
 * }</pre>
 *
 * <p>Each connection has one thread that reads its requests, runs them against the device and sends the
 * replies; commands that may wait on the disk (FLUSH, FUA, TRIM, WRITE_ZEROES) run on worker threads beside
 * it. A client must finish the handshake within {@link #DEFAULT_HANDSHAKE_LIMIT} (or the builder's
 * {@link Builder#handshakeLimit}): one that connects and stalls is dropped, so it cannot hold a connection
 * thread forever (qemu-nbd's {@code --handshake-limit} has the same default). Once in transmission a
 * client may stay idle as long as it likes: an idle disk is normal. Connections are independent, so many
 * clients and several exports are served at once, and a client that sends garbage only loses its own
 * connection. The connection thread is a platform thread, not a
 * virtual one: NBD keeps few, busy connections, and on a virtual thread every socket read that waits and
 * every file access goes through the scheduler (park, poller, carrier compensation), which cost 30–45 %
 * more CPU per 4 KiB request in bench/nbd.sh runs on 2 cores.
 *
 * <p>The server's connections use the TCP congestion control {@link #DEFAULT_TCP_CONGESTION} (cubic, the
 * kernel's own default) whatever the system default is, unless the builder's {@link Builder#tcpCongestion}
 * says otherwise ({@link #SYSTEM_TCP_CONGESTION} keeps the system's). NBD clients are on the same host or
 * the same LAN, and BBR, which some systems make the default for their WAN traffic, paces its sends from a
 * timer when the queueing discipline is not {@code fq}; on loopback its segments then arrive out of order
 * and are retransmitted for nothing ({@code nstat} over one 5 s run of 1 MiB reads: 495 retransmitted
 * segments, 440 DSACKs). Measured with fio as bench/nbd.sh runs it, on 2 cores: 1 MiB reads at one connection
 * ran at 1.14× nbdkit under BBR and 1.38× under cubic, at four connections 1.02× and 1.49×; writes and
 * 4 KiB requests did not move. The algorithm is set on the listening socket, and accepted connections
 * inherit it.
 *
 * <p>Overlapping WRITE, TRIM and WRITE_ZEROES requests of one export never run at once, across all its
 * connections (the ordering guarantee of {@link ServedExport}, on which a capturing device relies). Exports
 * can be added ({@link #addExport}), removed ({@link #removeExport}: its clients' later requests get ESHUTDOWN
 * and their connections close) and given another device under a write pause ({@link #swapExport}: its
 * clients stay connected) while the server runs.
 *
 * <p>{@link #close()} stops accepting, ends every connection after the request it is working on has been
 * answered, waits for them (at most {@link #SHUTDOWN_GRACE}, after which connections are cut), then
 * flushes every writable export. The server never closes the devices: their owner does, after the server.
 *
 * <p>Thread-safety: safe; {@link #start()} once, {@link #close()} from any thread, idempotent.
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NbdServer.class);
    /** How long {@link #close()} waits for connections to finish their requests before cutting them. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** How long a client may take from connecting to the end of its handshake. */
    public static final Duration DEFAULT_HANDSHAKE_LIMIT = Duration.ofSeconds(10);

    /** The congestion control the server's connections use unless told otherwise, see the class comment. */
    public static final String DEFAULT_TCP_CONGESTION = "cubic";
    /** Given to {@link Builder#tcpCongestion}: leave the connections with the system's default algorithm. */
    public static final String SYSTEM_TCP_CONGESTION = "system";

    private final InetSocketAddress requested;
    private final ExportTable exports;
    private final DirectBufferPool buffers = new DirectBufferPool(NbdProtocol.MAX_PAYLOAD);
    private final Map<SocketChannel, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong connectionNumber = new AtomicLong();
    /**
     * Platform threads, not virtual ones, run the requests that may wait on the disk: a virtual thread that
     * writes a reply switches the socket to non-blocking mode for good, and sendfile on a non-blocking socket
     * stops short whenever its buffer fills, which halves large READs. Idle workers end after a minute.
     */
    private final ExecutorService workers = Executors.newCachedThreadPool(Thread.ofPlatform().name("nbd-req-", 0).daemon().factory());
    /** Drops connections whose handshake runs past {@link #handshakeLimit}. */
    private final ScheduledThreadPoolExecutor handshakeTimer = handshakeTimer();
    private final Duration handshakeLimit;
    private final String tcpCongestion;
    private final boolean tcpCongestionRequired;
    private ServerSocketChannel listener;
    private Thread acceptor;
    /** Serialises {@link #removeExport} and {@link #swapExport}, so a swap never meets a removal half-way. */
    private final Object administration = new Object();

    private NbdServer(InetSocketAddress requested, ExportTable exports, Duration handshakeLimit, String tcpCongestion,
            boolean tcpCongestionRequired) {
        this.requested = requested;
        this.exports = exports;
        this.handshakeLimit = handshakeLimit;
        this.tcpCongestion = tcpCongestion;
        this.tcpCongestionRequired = tcpCongestionRequired;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts accepting; returns this server. */
    public synchronized NbdServer start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("the server is already started");
        }
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(requested, 128);
        } catch (BindException e) {
            ch.close();
            throw new NbdProtocolException(NbdError.BIND_FAILED, "cannot listen on " + requested + ": " + e.getMessage(),
                    "choose another --port or stop the process that holds it");
        }
        try {
            setCongestionControl(ch);
        } catch (NbdProtocolException e) {
            ch.close();
            throw e;
        }
        listener = ch;
        acceptor = Thread.ofPlatform().name("nbd-accept-" + port()).daemon(true).start(this::acceptLoop);
        LOG.info("NBD server listening on {} with exports {}", listener.getLocalAddress(), exportNames());
        return this;
    }

    /**
     * Sets {@link #tcpCongestion} on the listening socket, which its accepted connections inherit. Failing
     * to is an error when the operator asked for the algorithm, and a warning when it is the default.
     */
    private void setCongestionControl(ServerSocketChannel ch) {
        if (tcpCongestion.equals(SYSTEM_TCP_CONGESTION)) {
            return;
        }
        int fd = NativeSockets.fd(ch);
        String failure;
        String next = "load it (modprobe tcp_" + tcpCongestion + "), allow it in net.ipv4.tcp_allowed_congestion_control, "
                + "or pass --tcp-congestion " + SYSTEM_TCP_CONGESTION + " to keep the system's default";
        if (fd < 0) {
            failure = "the socket's descriptor cannot be had: " + NativeSockets.fdUnavailableReason();
            next = "run Boomerang with bin/boomerang or java -jar boomerang.jar (both export java.base/sun.nio.ch), "
                    + "or pass --tcp-congestion " + SYSTEM_TCP_CONGESTION + " to keep the system's default";
        } else {
            int errno = NativeSockets.setCongestionControl(fd, tcpCongestion);
            failure = switch (errno) {
                case 0 -> null;
                case NativeSockets.ENOENT -> "this kernel has no such algorithm (see net.ipv4.tcp_available_congestion_control)";
                case NativeSockets.EPERM -> "it is not in net.ipv4.tcp_allowed_congestion_control";
                default -> "setsockopt failed with errno " + errno;
            };
        }
        if (failure == null) {
            return;
        }
        if (tcpCongestionRequired) {
            throw new NbdProtocolException(NbdError.TCP_CONGESTION, "cannot use TCP congestion control '" + tcpCongestion + "': " + failure, next);
        }
        LOG.warn("connections keep the system's TCP congestion control, not '{}': {}; to silence this, {}", tcpCongestion, failure, next);
    }

    /** The port the server listens on (the ephemeral one when port 0 was asked). */
    public int port() {
        return address().getPort();
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server is closed", e);
        }
    }

    /** The number of connections open right now (handshaking or transmitting). */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) { // see acceptLoop: once closed is set, no connection is added
            if (!closed.compareAndSet(false, true)) {
                return;
            }
        }
        if (listener != null) {
            listener.close();
        }
        for (SocketChannel ch : connections.keySet()) {
            try {
                ch.shutdownInput(); // the reader sees end of input after answering the request in hand
            } catch (IOException e) {
                LOG.debug("shutdownInput failed on a closing connection: {}", e.toString());
            }
        }
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (Thread t : new ArrayList<>(connections.values())) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    LOG.warn("a connection did not finish within {}; cutting it", SHUTDOWN_GRACE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (SocketChannel ch : connections.keySet()) {
            ch.close();
        }
        workers.shutdown();
        handshakeTimer.shutdownNow();
        IOException failure = null;
        for (ServedExport export : exports.all()) {
            BlockDevice device = export.peek();
            if (!export.readOnly() && device != null) {
                try {
                    device.flush();
                } catch (IOException e) {
                    failure = e;
                    LOG.error("flushing export '{}' at shutdown failed: {}", export.name(), e.getMessage());
                }
            }
        }
        LOG.info("NBD server stopped");
        if (failure != null) {
            throw failure;
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("accepting a connection failed: {}", e.getMessage());
                continue;
            }
            Thread t = Thread.ofPlatform().daemon(true).name("nbd-conn-", connectionNumber.incrementAndGet()).unstarted(() -> serve(ch));
            synchronized (this) { // with close(): it never sees a connection whose thread has not started
                if (closed.get()) {
                    closeQuietly(ch);
                    return;
                }
                connections.put(ch, t);
                t.start();
            }
        }
    }

    private void serve(SocketChannel ch) {
        String peer = "?";
        ServedExport export = null;
        try (ch) {
            peer = String.valueOf(ch.getRemoteAddress());
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Optional<Negotiated> negotiated = handshake(ch);
            if (negotiated.isPresent()) {
                export = negotiated.get().export();
                if (!export.attach(ch)) {
                    throw export.removed();
                }
                LOG.debug("{} uses export '{}' (structured replies: {})", peer, export.name(), negotiated.get().structuredReplies());
                new TransmissionSession(ch, negotiated.get(), buffers, workers, connections::size).run();
            }
        } catch (NbdProtocolException e) {
            LOG.info("dropped client {}: {}", peer, e.describe());
        } catch (EOFException | ClosedChannelException e) {
            LOG.debug("client {} went away: {}", peer, e.toString());
        } catch (IOException e) {
            LOG.info("connection to {} failed: {}", peer, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("bug while serving {}; the connection is dropped and the server goes on", peer, e);
        } finally {
            connections.remove(ch);
            if (export != null) {
                export.detach(ch);
                if (export.retired()) {
                    LOG.info("closed the connection of {} to export '{}': the export was removed from the server", peer, export.name());
                }
            }
        }
    }

    /** The names of the exports served now, in the order they were added. */
    public List<String> exportNames() {
        return exports.all().stream().map(ServedExport::name).toList();
    }

    /**
     * Adds an export to the running server: clients can connect to it (and see it in NBD_OPT_LIST) from now on.
     * The server does not own the device; its owner closes it after {@link #removeExport} (or {@link #close()}).
     *
     * @throws NbdProtocolException {@link NbdError#BAD_EXPORT_CONFIG} when the name is taken or not a valid NBD name
     */
    public void addExport(String name, BlockDevice device, String description) {
        exports.add(new NbdExport(name, device, description));
        LOG.info("export '{}' added: {} ({} bytes{})", name, device, device.size(), device.isReadOnly() ? ", read-only" : "");
    }

    /**
     * Removes an export from the running server. New clients no longer find it at once. Requests of its
     * connected clients that are running finish and are answered; every request they send after that is
     * answered with the protocol's ESHUTDOWN error, and their connections are closed once the requests already
     * received are answered (the reason is logged). Then the device is flushed, when writable. Returns the
     * device, which the server no longer uses: its owner may close it.
     *
     * @throws NbdProtocolException {@link NbdError#UNKNOWN_EXPORT} when there is no such export
     * @throws IOException when the final flush fails (the export is removed all the same)
     */
    public BlockDevice removeExport(String name) throws IOException {
        requireNonNull(name, "name is null");
        ServedExport export;
        synchronized (administration) {
            export = exports.remove(name).orElseThrow(() -> unknownExport(name));
        }
        LOG.info("removing export '{}'; its {} connection(s) end once the requests in hand are answered", name, export.channels().size());
        endInput(export);
        try {
            return export.retire();
        } finally {
            endInput(export); // a connection whose handshake found the export just before it left the table
        }
    }

    /** Makes the readers of the export's connections see end of input once they have answered what they received. */
    private static void endInput(ServedExport export) {
        for (SocketChannel ch : export.channels()) {
            try {
                ch.shutdownInput();
            } catch (IOException e) {
                LOG.debug("shutdownInput failed on a connection of a removed export: {}", e.toString());
            }
        }
    }

    /** {@link #swapExport(String, ExportSwap)} with a step that only returns {@code device}. */
    public BlockDevice swapExport(String name, BlockDevice device) throws IOException {
        requireNonNull(device, "device is null");
        return swapExport(name, old -> device);
    }

    /**
     * Puts another device behind an export while its clients stay connected: the commit cutover. New WRITE,
     * TRIM, WRITE_ZEROES and FLUSH requests wait (reads go on against the old device); once the running ones
     * have returned the old device is flushed, and {@code step} is called with it: it may copy what is left
     * (nothing writes to the old device meanwhile) and returns the new device, which must have the same size
     * and read-only mode. Then the waiting requests run against the new device. Returns once no request uses
     * the old device any more, with the old device, which its owner may close. Clients see no error, only the
     * pause. When the flush or {@code step} fails, the export goes on with the old device and the error is thrown.
     *
     * @throws NbdProtocolException {@link NbdError#UNKNOWN_EXPORT} when there is no such export,
     *     {@link NbdError#BAD_EXPORT_CONFIG} when the new device's size or mode differs
     */
    public BlockDevice swapExport(String name, ExportSwap step) throws IOException {
        requireNonNull(name, "name is null");
        requireNonNull(step, "step is null");
        synchronized (administration) {
            ServedExport export = exports.find(name).filter(e -> e.name().equals(name)).orElseThrow(() -> unknownExport(name));
            BlockDevice old = export.swap(step);
            LOG.info("export '{}' swapped from {} to {}", name, old, export.peek());
            return old;
        }
    }

    private static NbdProtocolException unknownExport(String name) {
        return new NbdProtocolException(NbdError.UNKNOWN_EXPORT, "the server has no export named '" + name + "'",
                "use one of the names exportNames() lists");
    }

    /** The step of a swap, run while the export's writes are paused; see {@link #swapExport(String, ExportSwap)}. */
    @FunctionalInterface
    public interface ExportSwap {
        /** Given the device being replaced (flushed, with no write running), returns the device to serve from now on. */
        BlockDevice replace(BlockDevice old) throws IOException;
    }

    private static ScheduledThreadPoolExecutor handshakeTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("nbd-handshake-limit").daemon().factory());
        timer.setRemoveOnCancelPolicy(true); // a finished handshake leaves nothing queued
        return timer;
    }

    /** Runs the handshake; a client that has not finished it within the limit has its connection closed. */
    private Optional<Negotiated> handshake(SocketChannel ch) throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> limit = handshakeTimer.schedule(() -> {
            expired.set(true);
            closeQuietly(ch); // unblocks the handshake's read
        }, handshakeLimit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return new Handshake(new SocketWire(ch), exports).run();
        } catch (IOException e) {
            if (expired.get()) {
                throw expired();
            }
            throw e;
        } finally {
            limit.cancel(false);
        }
    }

    private NbdProtocolException expired() {
        return new NbdProtocolException(NbdError.HANDSHAKE_TIMEOUT, "the client did not finish the handshake within "
                + handshakeLimit.toMillis() + " ms", "the client must negotiate an export right after connecting; "
                + "check that it speaks fixed-newstyle NBD and is not stalled");
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    /** Collects the address and the exports; {@link #build()} validates them. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), NbdProtocol.DEFAULT_PORT);
        private final List<NbdExport> exports = new ArrayList<>();
        private Duration handshakeLimit = DEFAULT_HANDSHAKE_LIMIT;
        private String tcpCongestion = DEFAULT_TCP_CONGESTION;
        private boolean tcpCongestionRequired;

        private Builder() {}

        /** The address and port to listen on; port 0 picks an ephemeral port. Default 127.0.0.1:10809. */
        public Builder bind(InetAddress host, int port) {
            requireNonNull(host, "host is null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 0..65535");
            }
            this.address = new InetSocketAddress(host, port);
            return this;
        }

        public Builder export(String name, BlockDevice device, String description) {
            exports.add(new NbdExport(name, device, description));
            return this;
        }

        public Builder export(String name, BlockDevice device) {
            return export(name, device, "");
        }

        /** How long a client may take to finish the handshake; default {@link NbdServer#DEFAULT_HANDSHAKE_LIMIT}. */
        public Builder handshakeLimit(Duration limit) {
            requireNonNull(limit, "limit is null");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("handshake limit must be positive: " + limit);
            }
            this.handshakeLimit = limit;
            return this;
        }

        /**
         * The TCP congestion control algorithm of the server's connections (a name of
         * {@code net.ipv4.tcp_available_congestion_control}), or {@link NbdServer#SYSTEM_TCP_CONGESTION} to leave
         * the system's default; without this call {@link NbdServer#DEFAULT_TCP_CONGESTION}, see the class
         * comment. An algorithm given here that cannot be set makes {@link NbdServer#start()} fail
         * ({@link NbdError#TCP_CONGESTION}); the default that cannot be set only logs a warning.
         */
        public Builder tcpCongestion(String algorithm) {
            requireNonNull(algorithm, "algorithm is null");
            if (!algorithm.matches("[a-z0-9_]{1," + (NativeSockets.CA_NAME_MAX - 1) + "}")) {
                throw new NbdProtocolException(NbdError.TCP_CONGESTION, "'" + algorithm + "' is not a TCP congestion control name",
                        "give one of net.ipv4.tcp_available_congestion_control (e.g. " + DEFAULT_TCP_CONGESTION + ") or "
                                + SYSTEM_TCP_CONGESTION);
            }
            this.tcpCongestion = algorithm;
            this.tcpCongestionRequired = !algorithm.equals(SYSTEM_TCP_CONGESTION);
            return this;
        }

        public NbdServer build() {
            return new NbdServer(address, new ExportTable(exports), handshakeLimit, tcpCongestion, tcpCongestionRequired);
        }
    }
}
