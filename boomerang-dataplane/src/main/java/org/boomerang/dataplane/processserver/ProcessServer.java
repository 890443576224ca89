package org.boomerang.dataplane.processserver;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.boomerang.dataplane.roles.MetricsEndpoint;
import org.boomerang.stream.ReceiverSession;
import org.boomerang.stream.ReplicationService;
import org.boomerang.stream.StreamEndpoints;
import org.boomerang.stream.StreamError;
import org.boomerang.stream.StreamException;
import org.boomerang.stream.StreamReceiver;
import org.boomerang.stream.StreamSender;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.proto.Hello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process server role (SPEC §2.2): many agents to many master targets. Each disk's stream is
 * compressed (zstd), made durable in the disk's bounded on-disk {@link DiskCache} before it is
 * acknowledged to the agent, and forwarded to the disk's master target; so the agent is not held up by
 * a slow or absent master target until the cache is full.
 *
 * <p>Lifecycle: {@link #start} recovers every cache found and resumes forwarding them at once (the
 * agent need not be connected), then serves agents; {@link #close} stops serving and forwarding.
 */
public final class ProcessServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessServer.class);
    /** How long an agent's first hello of a disk waits for the master target to tell where the replica stands. */
    static final Duration TARGET_WAIT = Duration.ofSeconds(10);

    private final ProcessServerConfig config;
    private final StreamTls tls;
    private final MetricsEndpoint metrics;
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DiskRelay> relays = new ConcurrentHashMap<>();
    private volatile Server server;
    private volatile ReplicationService service;
    /** A stopping process server keeps taking records until the agents' streams were quiet this long. */
    static final Duration QUIET = Duration.ofSeconds(1);

    private ProcessServer(ProcessServerConfig config, StreamTls tls, MetricsEndpoint metrics) {
        this.config = config;
        this.tls = tls;
        this.metrics = metrics;
    }

    public static ProcessServer start(ProcessServerConfig config) throws IOException {
        requireNonNull(config, "config is null");
        StreamTls tls = StreamTls.load(config.tls());
        MetricsEndpoint metrics = MetricsEndpoint.start(config.metrics());
        ProcessServer ps = new ProcessServer(config, tls, metrics);
        try {
            Files.createDirectories(config.cacheDir());
            List<Path> existing;
            try (Stream<Path> s = Files.list(config.cacheDir())) {
                existing = s.filter(Files::isDirectory).toList();
            }
            for (Path dir : existing) {
                DiskRelay relay = ps.relay(dir.getFileName().toString());
                if (relay != null) {
                    relay.startForwarding(false);
                }
            }
            ps.service = new ReplicationService(config.name(), ps.new Receiver());
            ps.server = StreamEndpoints.serve(config.listen().socketAddress(), tls, config.name(), ps.service);
            LOG.info("process server {} listening on {}:{}, cache {} (at most {} bytes per disk)", config.name(), config.listen().host(),
                    ps.server.getPort(), config.cacheDir(), config.cacheMaxBytes());
            return ps;
        } catch (IOException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    public MetricsEndpoint metrics() {
        return metrics;
    }

    /** The relay of a disk (opened with its cache on first use), or null when no master target serves the disk. */
    private DiskRelay relay(String disk) throws IOException {
        ProcessServerConfig.Route route = config.routeOf(disk);
        if (route == null) {
            return null;
        }
        try {
            return relays.computeIfAbsent(disk, d -> {
                try {
                    DiskCache cache = DiskCache.open(config.cacheDir().resolve(d), config.cacheMaxBytes());
                    ManagedChannel ch = channels.computeIfAbsent(route.address().toString(),
                            a -> StreamEndpoints.channel(route.address().host(), route.address().port(), tls));
                    RelayStats stats = new RelayStats(d, metrics.registry());
                    DiskRelay relay = new DiskRelay(d, cache, config.compressionLevel(), stats, ch, StreamSender.Options.defaults());
                    stats.gauges(d, metrics.registry(), relay);
                    return relay;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private final class Receiver implements StreamReceiver {
        @Override
        public ReceiverSession open(Hello hello, String peer, AckChannel acks) throws IOException {
            DiskRelay relay = relay(hello.getDiskId());
            if (relay == null) {
                throw new StreamException(StreamError.WRONG_DISK, "process server " + config.name() + " has no master target for disk "
                        + hello.getDiskId(), "add the disk (or '*') to a master-targets entry's disks");
            }
            try {
                return relay.openUpstream(hello, acks, TARGET_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** How long a stopping process server waits for its caches to reach the master targets. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public void close() {
        ReplicationService svc = service;
        if (svc != null) {
            try {
                svc.awaitQuiet(QUIET, DRAIN_TIMEOUT.multipliedBy(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Server s = server;
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        try {
            for (DiskRelay r : relays.values()) {
                while (r.cache().lastLsn() > r.targetDurable() && !r.fenced() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (DiskRelay r : relays.values()) {
            try {
                r.close();
            } catch (IOException e) {
                LOG.error("closing a disk cache failed: {}", e.toString());
            }
        }
        for (ManagedChannel ch : channels.values()) {
            ch.shutdownNow();
        }
        metrics.close();
        LOG.info("process server {} stopped", config.name());
    }
}
