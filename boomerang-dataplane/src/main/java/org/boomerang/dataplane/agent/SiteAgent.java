package org.boomerang.dataplane.agent;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.capture.CaptureStatus;
import org.boomerang.dataplane.capture.CapturedChange;
import org.boomerang.dataplane.capture.GroupCut;
import org.boomerang.dataplane.capture.InlineCapture;
import org.boomerang.dataplane.roles.MetricsEndpoint;
import org.boomerang.journal.Marker;
import org.boomerang.nbd.server.NbdServer;
import org.boomerang.stream.StreamEndpoints;
import org.boomerang.stream.StreamSender;
import org.boomerang.stream.StreamTls;
import org.boomerang.stream.proto.Hello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one site whose disks come and go at run time (the embedded data plane's agent; the
 * {@link Agent} role serves a fixed list of disks from its config). It serves the disks of the site's
 * running machines over one NBD server, each under a stable export name, and protects any of them: a
 * protected disk's export is swapped, without disconnecting its clients, to the disk's
 * {@link InlineCapture}, whose feed streams to the site's process server over mutual TLS.
 *
 * <p>Exports and protection are independent: a disk can be protected while its machine is off (nothing
 * writes to it, the initial copy reads it) and exported while it is not protected (writes are not
 * replicated). Each protected disk is a stream named by the caller ({@code streamId}), which is also the
 * disk id the master target keeps its journal under.
 *
 * <p>Ownership: the caller owns the local devices and closes them after {@link #offline} and
 * {@link #unprotect}. Thread-safety: every method is synchronized, except the status reads.
 */
public final class SiteAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SiteAgent.class);

    private final String name;
    private final NbdServer nbd;
    private final ManagedChannel channel;
    private final MetricsEndpoint metrics;
    private final String host;
    /** Export name -> the local device served when the disk is not protected. */
    private final Map<String, BlockDevice> online = new HashMap<>();
    /** Stream id -> the protection of one disk. */
    private final Map<String, Protection> protections = new HashMap<>();

    /** One protected disk: its export name (may be offline), capture, stream and the source between them. */
    private record Protection(String streamId, String export, BlockDevice local, InlineCapture capture, FeedSource source,
            StreamSender sender, long startedNanos) {}

    /** How long a new stream may take to connect before it counts as not reaching the process server. */
    public static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

    private SiteAgent(String name, NbdServer nbd, ManagedChannel channel, MetricsEndpoint metrics, String host) {
        this.name = name;
        this.nbd = nbd;
        this.channel = channel;
        this.metrics = metrics;
        this.host = host;
    }

    /** Starts the NBD server on {@code bindHost} (a free port) and the channel to the process server at {@code psHost:psPort}. */
    public static SiteAgent start(String name, String bindHost, String psHost, int psPort, StreamTls tls) throws IOException {
        NbdServer nbd = NbdServer.builder().bind(InetAddress.getByName(bindHost), 0).build().start();
        ManagedChannel channel = StreamEndpoints.channel(psHost, psPort, tls);
        return new SiteAgent(name, nbd, channel, MetricsEndpoint.start(null), InetAddress.getLocalHost().getHostName());
    }

    /** The NBD address of an export of this agent. */
    public URI uri(String export) {
        return URI.create("nbd://" + nbd.address().getAddress().getHostAddress() + ":" + nbd.port() + "/" + export);
    }

    public int nbdPort() {
        return nbd.port();
    }

    /** Serves {@code device} under {@code export} (through its capture when the disk is protected); serving it again is a no-op. */
    public synchronized void online(String export, BlockDevice device) {
        requireNonNull(device, "device is null");
        if (online.containsKey(export)) {
            return;
        }
        online.put(export, device);
        BlockDevice served = protectionOf(export).map(p -> p.capture().device()).orElse(device);
        nbd.addExport(export, served, name + " disk " + export);
    }

    /** Stops serving {@code export}: its clients are told, its writes flushed. Stopping a stopped export is a no-op. */
    public synchronized void offline(String export) throws IOException {
        if (online.remove(export) != null) {
            nbd.removeExport(export);
        }
    }

    public synchronized boolean isOnline(String export) {
        return online.containsKey(export);
    }

    /**
     * Puts {@code export} in front of another device while its clients stay connected (the commit cutover):
     * {@code step} runs with the export's writes paused and returns the new local device. The disk must not
     * be protected. Returns the old device, which its owner may close.
     */
    public synchronized BlockDevice swap(String export, NbdServer.ExportSwap step) throws IOException {
        if (protectionOf(export).isPresent()) {
            throw new IllegalStateException("export " + export + " is protected: unprotect it before swapping its device");
        }
        if (!online.containsKey(export)) {
            throw new IllegalStateException("export " + export + " is not served");
        }
        BlockDevice[] next = new BlockDevice[1];
        BlockDevice old = nbd.swapExport(export, o -> {
            next[0] = step.replace(o);
            return next[0];
        });
        online.put(export, next[0]);
        return old;
    }

    /**
     * Protects the disk behind {@code export} (served or not): opens its capture with state in
     * {@code stateDir} and streams it as {@code streamId} with lineage {@code generation}. With
     * {@code initialCopy} a fresh state copies every allocated extent first (inside a window); without, the
     * caller brings the replica up to date itself. The stream says hello at fencing epoch {@code epoch}: the
     * master target refuses it (and the stream stops) once its epoch of the stream is higher. Protecting an
     * already protected stream is a no-op.
     */
    public synchronized void protect(String streamId, String export, BlockDevice local, Path stateDir, UUID generation,
            boolean initialCopy, CaptureOptions options, long epoch) throws IOException {
        if (protections.containsKey(streamId)) {
            return;
        }
        DiskId disk = new DiskId(streamId);
        InlineCapture capture = initialCopy ? InlineCapture.open(disk, local, stateDir, options)
                : InlineCapture.openWithoutInitialCopy(disk, local, stateDir, options);
        Hello hello = Hello.newBuilder().setDiskId(streamId).setGeneration(generation.toString()).setDiskSize(local.size())
                .setBlockSize(Agent.BLOCK_SIZE).setSender(name + "@" + host).setEpoch(epoch).build();
        FeedSource source = new FeedSource(capture.feed(), hello, 0, new RpoStats(streamId, metrics.registry()));
        StreamSender sender;
        try {
            sender = StreamSender.start(streamId + "->process-server", channel, source, StreamSender.Options.defaults());
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
        Protection p = new Protection(streamId, export, local, capture, source, sender, System.nanoTime());
        protections.put(streamId, p);
        if (online.containsKey(export)) {
            nbd.swapExport(export, capture.device());
        }
        LOG.info("disk {} protected as stream {} (generation {}, {})", export, streamId, generation,
                initialCopy ? "initial copy" : "no initial copy");
    }

    /**
     * Stops protecting {@code streamId}: waits up to {@code drain} for its changes to reach the master
     * target (what is left stays in its dirty map), stops the stream, closes the capture, and serves the
     * plain local device again when the disk is online. Unprotecting an unknown stream is a no-op.
     *
     * @return true when every change of the disk reached the master target before the stream stopped (for a
     *     stream fenced off: when no write is left in its dirty map; markers cut after the fence do not count)
     */
    public synchronized boolean unprotect(String streamId, Duration drain) throws IOException {
        Protection p = protections.get(streamId);
        if (p == null) {
            return true;
        }
        if (online.containsKey(p.export())) {
            nbd.swapExport(p.export(), p.local());
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (!replicated(p) && p.sender().stats().fenced.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean complete = replicated(p) || (!p.sender().stats().fenced.isEmpty() && noDirtyData(p));
        p.sender().close();
        p.capture().close();
        protections.remove(streamId);
        LOG.info("stream {} stopped{}", streamId, complete ? "" : " with changes not yet at the master target");
        return complete;
    }

    /**
     * Lets a fenced (or running) stream go on at fencing epoch {@code epoch}: its sender is replaced by one
     * that says hello at that epoch and resumes from the receiver's durable LSN; what the capture kept in its
     * dirty map meanwhile is caught up. A no-op for an unknown stream.
     */
    public synchronized void readmit(String streamId, long epoch) {
        Protection p = protections.get(streamId);
        if (p == null) {
            return;
        }
        p.sender().close();
        p.source().epoch(epoch);
        StreamSender sender = StreamSender.start(streamId + "->process-server", channel, p.source(), StreamSender.Options.defaults());
        protections.put(streamId, new Protection(p.streamId(), p.export(), p.local(), p.capture(), p.source(), sender, System.nanoTime()));
        LOG.info("stream {} re-admitted at fencing epoch {}", streamId, epoch);
    }

    /** Why the master target fenced the stream off (its refusal), or empty while it is not fenced. */
    public synchronized Optional<String> fenced(String streamId) {
        Protection p = protections.get(streamId);
        return p == null || p.sender().stats().fenced.isEmpty() ? Optional.empty() : Optional.of(p.sender().stats().fenced);
    }

    public synchronized boolean isProtected(String streamId) {
        return protections.containsKey(streamId);
    }

    /**
     * One point across {@code streams} (the disks of one machine): their writes held back for an instant,
     * the same marker put into each stream. Empty when a stream is inside an inconsistent window (the
     * initial copy, a catch-up) or its writes did not drain within {@code timeout}.
     */
    public Optional<List<CapturedChange.Mark>> cut(List<String> streams, Marker marker, Duration timeout) throws IOException, InterruptedException {
        List<InlineCapture> members = new ArrayList<>();
        synchronized (this) {
            for (String s : streams) {
                Protection p = protections.get(s);
                if (p == null) {
                    return Optional.empty();
                }
                members.add(p.capture());
            }
        }
        try {
            return Optional.of(GroupCut.take(members, marker, timeout));
        } catch (BoomerangException e) {
            LOG.debug("cut {} not taken: {}", marker.pointId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The capture of a stream, for its status and metrics. */
    public synchronized Optional<CaptureStatus> status(String streamId) {
        return Optional.ofNullable(protections.get(streamId)).map(p -> p.capture().status());
    }

    /** Seconds since the oldest change sent and not yet durable at the master target left the capture (0 when none waits). */
    public synchronized double rpoSeconds(String streamId) {
        Protection p = protections.get(streamId);
        return p == null ? 0 : p.source().currentRpoNanos() / 1e9;
    }

    /** True when everything written to the stream's disk so far is durable at the master target and no window is open. */
    public synchronized boolean replicated(String streamId) {
        Protection p = protections.get(streamId);
        return p != null && replicated(p);
    }

    /**
     * True when the stream is connected to the process server, or was protected less than
     * {@link #CONNECT_GRACE} ago and is still connecting (a new stream is not an unreachable peer).
     */
    public synchronized boolean connected(String streamId) {
        Protection p = protections.get(streamId);
        return p != null && (p.sender().stats().connected || System.nanoTime() - p.startedNanos() < CONNECT_GRACE.toNanos());
    }

    /** Bytes of writes the stream has sent so far (as written, before compression). */
    public synchronized long sentBytes(String streamId) {
        Protection p = protections.get(streamId);
        return p == null ? 0 : p.sender().stats().rawBytesSent.get();
    }

    private static boolean noDirtyData(Protection p) {
        CaptureStatus st = p.capture().status();
        return st.dirtyExtents() == 0 && st.pendingExtents() == 0 && !st.windowOpen();
    }

    private static boolean replicated(Protection p) {
        CaptureStatus st = p.capture().status();
        return p.sender().stats().connected && st.queueRecords() == 0 && st.pendingExtents() == 0 && !st.windowOpen()
                && p.source().targetDurable() >= p.capture().feed().lastLsn();
    }

    private Optional<Protection> protectionOf(String export) {
        return protections.values().stream().filter(p -> p.export().equals(export)).findFirst();
    }

    @Override
    public synchronized void close() {
        try {
            nbd.close();
        } catch (IOException e) {
            LOG.error("flushing the NBD exports at shutdown failed: {}", e.toString());
        }
        online.clear();
        for (String s : List.copyOf(protections.keySet())) {
            try {
                unprotect(s, Agent.DRAIN_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                LOG.error("stream {}: stopping failed: {}", s, e.toString());
            }
        }
        channel.shutdownNow();
        metrics.close();
        LOG.info("site agent {} stopped", name);
    }
}
