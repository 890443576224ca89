package org.boomerang.dataplane.agent;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.dataplane.capture.InlineCapture;
import org.boomerang.dataplane.capture.MarkerScheduler;
import org.boomerang.dataplane.digests.DigestService;
import org.boomerang.dataplane.digests.DiskLookup;
import org.boomerang.dataplane.roles.MetricsEndpoint;
import org.boomerang.dataplane.roles.RoleError;
import org.boomerang.nbd.server.NbdServer;
import org.boomerang.stream.StreamEndpoints;
import org.boomerang.stream.StreamSender;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.proto.Hello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent role (SPEC §2.1): exports each protected disk over NBD through its {@link InlineCapture}
 * and streams the capture's feed to the process server over mutual TLS; puts a crash-consistent marker
 * into every stream on the configured policy; serves its disks' block digests when its config names
 * an address for them ({@link DigestService}). Nothing in it assumes which site is primary.
 *
 * <p>State: {@code <state>/<diskId>/} is the capture's state directory, plus {@code generation} (the
 * UUID of the disk's replication lineage, made with the capture state and remade when that is new).
 *
 * <p>Lifecycle: {@link #start} opens (or creates) the images, the captures, the NBD server and the
 * streams; {@link #close} stops NBD first (writes in flight finish and are flushed), then the marker
 * timer, the streams and the captures.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final String GENERATION_FILE = "generation";
    static final String CAPTURE_STATE_FILE = "capture-state";
    static final int BLOCK_SIZE = 4096;
    /** How long a stopping agent waits for its streams to reach the master target. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    private final AgentConfig config;
    private final MetricsEndpoint metrics;
    private final List<Protected> disks = new ArrayList<>();
    private ManagedChannel channel;
    private NbdServer nbd;
    private Server digests;
    private final List<MarkerScheduler> markers = new ArrayList<>();
    private volatile boolean closing;

    /** One protected disk: its image, capture, stream and the source between them. */
    private record Protected(AgentConfig.Disk disk, RawFileBlockDevice image, InlineCapture capture, FeedSource source,
            StreamSender sender) {}

    private Agent(AgentConfig config, MetricsEndpoint metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    public static Agent start(AgentConfig config) throws IOException {
        requireNonNull(config, "config is null");
        StreamTls tls = StreamTls.load(config.tls());
        Agent agent = new Agent(config, MetricsEndpoint.start(config.metrics()));
        try {
            agent.open(tls);
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void open(StreamTls tls) throws IOException {
        channel = StreamEndpoints.channel(config.processServer().host(), config.processServer().port(), tls);
        NbdServer.Builder builder = NbdServer.builder().bind(InetAddress.getByName(config.nbd().host()), config.nbd().port());
        String host = InetAddress.getLocalHost().getHostName();
        for (AgentConfig.Disk d : config.disks()) {
            RawFileBlockDevice image = openImage(d);
            Path stateDir = config.state().resolve(d.id().value());
            UUID generation;
            InlineCapture capture;
            try {
                generation = generation(stateDir);
                capture = InlineCapture.open(d.id(), image, stateDir, config.capture());
            } catch (IOException | RuntimeException e) {
                image.close();
                throw e;
            }
            String disk = d.id().value();
            Hello hello = Hello.newBuilder().setDiskId(disk).setGeneration(generation.toString()).setDiskSize(image.size())
                    .setBlockSize(BLOCK_SIZE).setSender(config.name() + "@" + host).build();
            MeterRegistry registry = metrics.registry();
            FeedSource source = new FeedSource(capture.feed(), hello, 0, new RpoStats(disk, registry));
            StreamSender sender = StreamSender.start(disk + "->process-server", channel, source, StreamSender.Options.defaults());
            disks.add(new Protected(d, image, capture, source, sender));
            meters(disk, registry, capture, source, sender);
            builder.export(disk, capture.device(), "protected disk " + disk);
            LOG.info("disk={} protected: image {} ({} bytes), generation {}", disk, d.image(), image.size(), generation);
        }
        nbd = builder.build().start();
        for (Protected p : disks) {
            LOG.info("serving {} on nbd://{}:{}/{}", p.disk().id(), config.nbd().host(), nbd.port(), p.disk().id());
        }
        if (config.digests() != null) {
            digests = StreamEndpoints.serve(config.digests().socketAddress(), tls, config.name(),
                    new DigestService(config.name(), this::image));
            LOG.info("serving block digests of {} disks on {}:{}", disks.size(), config.digests().host(), digests.getPort());
        }
        if (config.markerEvery() != null) {
            for (Protected p : disks) {
                markers.add(MarkerScheduler.start(p.capture().feed(), config.markerEvery(), ""));
            }
        }
    }

    private static void meters(String disk, MeterRegistry registry, InlineCapture capture, FeedSource source, StreamSender sender) {
        Gauge.builder("boomerang_agent_rpo_current_seconds", source, s -> s.currentRpoNanos() / 1e9).tag("disk", disk)
                .description("age of the oldest change sent and not yet durable at the master target").register(registry);
        Gauge.builder("boomerang_agent_lag_records", capture, c -> Math.max(0, c.status().lastLsn() - c.status().durableAtTarget()))
                .tag("disk", disk).description("changes captured and not yet durable at the master target").register(registry);
        Gauge.builder("boomerang_agent_lag_bytes", capture, c -> c.status().dirtyBytes()).tag("disk", disk).baseUnit("bytes")
                .description("bytes of dirty extents not yet durable at the master target").register(registry);
        Gauge.builder("boomerang_agent_queue_bytes", capture, c -> c.status().queueBytes()).tag("disk", disk).baseUnit("bytes")
                .description("payload held in the capture's memory queue").register(registry);
        Gauge.builder("boomerang_agent_catch_up_progress", capture, c -> c.status().catchUpTotalBytes() == 0 ? 1.0
                : (double) c.status().catchUpSentBytes() / c.status().catchUpTotalBytes()).tag("disk", disk)
                .description("share of the current (or last) catch-up sent").register(registry);
        Gauge.builder("boomerang_agent_window_open", capture, c -> c.status().windowOpen() ? 1 : 0).tag("disk", disk)
                .description("1 while an inconsistent window (catch-up, initial copy) is open").register(registry);
        Gauge.builder("boomerang_agent_target_durable_lsn", source, FeedSource::targetDurable).tag("disk", disk).register(registry);
        FunctionCounter.builder("boomerang_agent_sent_bytes", sender.stats(), s -> s.wireBytesSent.get()).tag("disk", disk)
                .baseUnit("bytes").description("write payload bytes sent").register(registry);
        FunctionCounter.builder("boomerang_agent_written_bytes", sender.stats(), s -> s.rawBytesSent.get()).tag("disk", disk)
                .baseUnit("bytes").description("bytes of the writes sent, as written (throughput)").register(registry);
        Gauge.builder("boomerang_agent_fenced", sender.stats(), s -> s.fenced.isEmpty() ? 0 : 1).tag("disk", disk)
                .description("1 once the master target fenced this disk's stream off (a newer source owns the replica)").register(registry);
        FunctionCounter.builder("boomerang_agent_reconnects", sender.stats(), s -> s.reconnects.get()).tag("disk", disk)
                .description("reconnections to the process server").register(registry);
    }

    private RawFileBlockDevice openImage(AgentConfig.Disk d) throws IOException {
        if (Files.exists(d.image())) {
            RawFileBlockDevice image = RawFileBlockDevice.open(d.image(), false);
            if (d.size() > 0 && image.size() != d.size()) {
                long size = image.size();
                image.close();
                throw new BoomerangException(RoleError.START_FAILED, "disk " + d.id() + ": image " + d.image() + " is " + size
                        + " bytes, the config says " + d.size(), "fix the disk's size in the config, or move the image away");
            }
            return image;
        }
        if (d.size() <= 0) {
            throw new BoomerangException(RoleError.START_FAILED, "disk " + d.id() + ": image " + d.image() + " does not exist",
                    "give the disk a size (e.g. size: 64MiB) so the agent creates it, or fix the path");
        }
        Files.createDirectories(d.image().toAbsolutePath().getParent());
        LOG.info("disk={} creating sparse image {} of {} bytes", d.id(), d.image(), d.size());
        return RawFileBlockDevice.create(d.image(), d.size());
    }

    /** The lineage of the disk's capture state: kept while the state lives, new with a new state. */
    private static UUID generation(Path stateDir) throws IOException {
        Path file = stateDir.resolve(GENERATION_FILE);
        if (Files.exists(stateDir.resolve(CAPTURE_STATE_FILE)) && Files.exists(file)) {
            return UUID.fromString(Files.readString(file, StandardCharsets.US_ASCII).trim());
        }
        UUID g = UUID.randomUUID();
        Files.createDirectories(stateDir);
        AtomicFile.write(file, out -> out.write((g + "\n").getBytes(StandardCharsets.US_ASCII)));
        return g;
    }

    /**
     * Gives the streams up to {@link #DRAIN_TIMEOUT} to bring every write the guest made to the master
     * target before the agent stops (what is left stays in the dirty map for the next start).
     */
    private void drain() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        for (Protected p : disks) {
            String disk = p.disk().id().value();
            try {
                while (!replicated(disk) && p.sender().stats().fenced.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("disk={} cannot tell whether it is replicated: {}", disk, e.toString());
            }
            if (!replicated(disk)) {
                LOG.warn("disk={} stopping with changes not yet at the master target (lsn {} of {}); they are sent after the next start",
                        disk, p.source().targetDurable(), p.capture().feed().lastLsn());
            }
        }
    }

    /** The image of disk {@code name} for a digest answer (the agent keeps it open; nothing to release). */
    private Optional<DiskLookup.Opened> image(String name) {
        for (Protected p : disks) {
            if (p.disk().id().value().equals(name)) {
                return Optional.of(new DiskLookup.Opened(p.image(), "agent image " + p.disk().image().getFileName(), () -> {}));
            }
        }
        return Optional.empty();
    }

    /** The port of the digest server (the configured one, or the one picked for port 0); -1 when it serves none. */
    public int digestsPort() {
        return digests == null ? -1 : digests.getPort();
    }

    /** The NBD port (the configured one, or the one picked for port 0). */
    public int nbdPort() {
        return nbd.port();
    }

    public MetricsEndpoint metrics() {
        return metrics;
    }

    /** The newest LSN of {@code disk} durable at the master target, as the agent was told. */
    public long targetDurableLsn(String disk) {
        for (Protected p : disks) {
            if (p.disk().id().value().equals(disk)) {
                return p.source().targetDurable();
            }
        }
        throw new IllegalArgumentException("no disk " + disk);
    }

    /**
     * True when everything written to {@code disk} so far is durable at the master target: the stream is
     * connected, the capture's queue is empty (every change taken and released), no catch-up is pending
     * and the master target acknowledged the newest LSN issued.
     */
    public boolean replicated(String disk) {
        Protected p = find(disk);
        var st = p.capture().status();
        return p.sender().stats().connected && st.queueRecords() == 0 && st.pendingExtents() == 0 && !st.windowOpen()
                && p.source().targetDurable() >= p.capture().feed().lastLsn();
    }

    private Protected find(String disk) {
        for (Protected p : disks) {
            if (p.disk().id().value().equals(disk)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no disk " + disk);
    }

    /** Why the master target fenced the stream of {@code disk} off (its refusal), or empty while it is not fenced. */
    public Optional<String> fenced(String disk) {
        String why = find(disk).sender().stats().fenced;
        return why.isEmpty() ? Optional.empty() : Optional.of(why);
    }

    /** The newest LSN the capture of {@code disk} issued. */
    public long lastLsn(String disk) {
        for (Protected p : disks) {
            if (p.disk().id().value().equals(disk)) {
                return p.capture().feed().lastLsn();
            }
        }
        throw new IllegalArgumentException("no disk " + disk);
    }

    @Override
    public void close() {
        closing = true;
        if (nbd != null) {
            try {
                nbd.close();
            } catch (IOException e) {
                LOG.error("flushing the NBD exports at shutdown failed: {}", e.toString());
            }
        }
        for (MarkerScheduler m : markers) {
            try {
                m.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (digests != null) {
            digests.shutdownNow();
            try {
                digests.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
        for (Protected p : disks) {
            p.sender().close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        for (Protected p : disks) {
            try {
                p.capture().close();
            } catch (IOException e) {
                LOG.error("disk={} closing the capture failed: {}", p.disk().id(), e.toString());
            }
            try {
                p.image().close();
            } catch (IOException e) {
                LOG.error("disk={} closing the image failed: {}", p.disk().id(), e.toString());
            }
        }
        metrics.close();
        LOG.info("agent {} stopped", config.name());
    }
}
