package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.common.SyncMode;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PairPolicy;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.control.dataplane.ReplicationState;
import org.boomerang.control.dataplane.SyncOutcome;
import org.boomerang.control.dataplane.ViewId;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.RequestId;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairDisk;
import org.boomerang.dataplane.site.EmbeddedDataPlane.PairSpec;
import org.boomerang.dataplane.site.EmbeddedDataPlane;
import org.boomerang.dataplane.site.SiteError;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;

/**
 * The control server's {@link DataPlane} over the {@link EmbeddedDataPlane}: translates the control
 * plane's pairs, points, views and syncs into the data plane's, and resolves machines into disks through
 * the site providers. A machine's disk is known to the data plane by its export name at its site's agent:
 * {@code <machine>.<disk>} for a disk with an image, the export's own name for a disk that is an NBD
 * export of the data plane (a recovered machine's disk is its failover view's export).
 *
 * <p>Replication toward a site where the pair's target machine exists (reprotect toward the original or a
 * recreated machine) bases the replica on that machine's disks; toward a site where it does not (forward
 * protection) the replica is a new journal.
 *
 * <p>A pair is known to the data plane by its id's text form ({@link PairId#text()}), a view and a point by
 * their values. Every call is idempotent under its request id as the seam asks: view ids are derived from the
 * pair and the request id, pairs and views already open are confirmed. Thread-safe (the data plane is).
 */
public final class EmbeddedDataPlaneSeam implements DataPlane {
    /** The longest a sync step waits for an initial copy before failing (the job may be retried). */
    static final Duration SYNC_TIMEOUT = Duration.ofHours(6);

    private final EmbeddedDataPlane dataPlane;
    private final SiteProviders providers;

    public EmbeddedDataPlaneSeam(EmbeddedDataPlane dataPlane, SiteProviders providers) {
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
        this.providers = requireNonNull(providers, "providers is null");
    }

    /** The export name of a machine's disk at its site's agent. */
    public static String exportOf(MachineId machine, MachineDisk disk) {
        return switch (disk.backing()) {
            case DiskBacking.ImageFile f -> machine.value() + "." + disk.id().value();
            case DiskBacking.NbdExport n -> exportName(n.uri());
        };
    }

    static String exportName(URI uri) {
        String path = uri.getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /**
     * Starts the pair's disks ({@link ReplicationPair#disks()}, each found on the source machine as its
     * site reports it now) with the pair's marker cadence and freeze commands. A master target named by
     * the pair must be a machine of the pair's target site; the target site's master target then writes
     * the replica and the pair's log names it.
     */
    @Override
    public void startReplication(ReplicationPair pair, RequestId requestId) {
        Machine source = machine(pair.sourceSite().value(), pair.source());
        Optional<Machine> target = pair.targetSite().equals(pair.sourceSite()) ? Optional.empty()
                : providers.of(pair.targetSite()).discover().machine(pair.target());
        pair.masterTarget().ifPresent(mt -> {
            if (providers.of(pair.targetSite()).discover().machine(mt).isEmpty()) {
                throw new BoomerangException(SiteError.MASTER_TARGET_NOT_FOUND, "master target " + mt + " of pair " + pair.id()
                        + " is not a machine of site " + pair.targetSite(), "choose a master target at site " + pair.targetSite()
                        + " (reprotect with --master-target), then retry");
            }
        });
        List<PairDisk> disks = new ArrayList<>();
        for (DiskId id : pair.disks()) {
            MachineDisk d = source.disks().stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new BoomerangException(SiteError.DISK_NOT_FOUND, "machine " + pair.source() + " at " + pair.sourceSite()
                            + " has no disk " + id + " to replicate in pair " + pair.id(), "rediscover the site, then retry the operation"));
            String image = d.backing() instanceof DiskBacking.ImageFile f ? f.path().toString() : null;
            Optional<MachineDisk> base = target.flatMap(t -> t.disks().stream().filter(x -> x.id().equals(d.id())).findFirst());
            if (target.isPresent() && base.isEmpty()) {
                throw new BoomerangException(SiteError.DISK_NOT_FOUND, "machine " + pair.target() + " at " + pair.targetSite() + " has no disk "
                        + d.id() + " to receive disk " + d.id() + " of " + pair.source(), "give it a disk with that id (recreate it), then retry");
            }
            String baseImage = base.map(MachineDisk::backing).filter(DiskBacking.ImageFile.class::isInstance)
                    .map(b -> ((DiskBacking.ImageFile) b).path().toString()).orElse(null);
            disks.add(new PairDisk(d.id().value(), exportOf(source.id(), d), image, baseImage,
                    baseImage == null ? null : pair.target().value() + "." + d.id().value()));
        }
        PairPolicy policy = pair.policy();
        call(() -> {
            dataPlane.startPair(new PairSpec(pair.id().text(), pair.sourceSite().value(), pair.targetSite().value(), disks, policy.crashEvery(),
                    policy.appEvery(), null, pair.target().value(), policy.retention(), pair.masterTarget().map(MachineId::value).orElse(null),
                    policy.freeze(), policy.thaw()));
            return null;
        });
    }

    @Override
    public void stopReplication(PairId pair, RequestId requestId) {
        call(() -> {
            dataPlane.stopPair(pair.text());
            return null;
        });
    }

    @Override
    public List<MachinePoint> points(PairId pair) {
        return call(() -> dataPlane.points(pair.text()).stream().map(p -> new MachinePoint(new PointId(p.id()), pair,
                Lsn.of(p.lsns().values().stream().mapToLong(Long::longValue).max().orElse(0)), p.time(),
                p.kind(), Optional.empty())).toList());
    }

    @Override
    public FailoverView openFailoverView(PairId pair, PointId point, RequestId requestId) {
        return call(() -> convert(dataPlane.openView(pair.text(), point.value(), viewId(pair, requestId), true)));
    }

    @Override
    public Optional<FailoverView> view(ViewId view) {
        return dataPlane.view(view.value()).map(EmbeddedDataPlaneSeam::convert);
    }

    @Override
    public void closeFailoverView(ViewId view, RequestId requestId) {
        call(() -> {
            dataPlane.closeView(view.value());
            return null;
        });
    }

    @Override
    public void commitFailoverView(ViewId view, RequestId requestId) {
        call(() -> {
            dataPlane.commitView(view.value());
            return null;
        });
    }

    @Override
    public SyncOutcome sync(PairId pair, SyncMode mode, RequestId requestId) {
        EmbeddedDataPlane.SyncResult r = call(() -> dataPlane.sync(pair.text(), mode, SYNC_TIMEOUT));
        return new SyncOutcome(r.mode(), r.bytesRead(), r.bytesSent(), r.blocksChanged(),
                r.took(), r.fallbackReason());
    }

    /**
     * A pair's health from its {@link EmbeddedDataPlane.PairStatus} and its points: a stopped or
     * unknown pair is PAUSED; a running one is INITIAL_SYNC until its first copy is done (with its
     * progress), then CATCHING_UP while blocks of a catch-up window are still to send (lag bytes) and
     * PROTECTED otherwise. A running pair whose stream is not connected to the process server has
     * that role (and the master target behind it) unreachable. The RPO is measured once the first
     * copy is done.
     */
    @Override
    public PairHealth health(PairId pair) {
        EmbeddedDataPlane.PairStatus st = dataPlane.status(pair.text());
        List<MachinePoint> points = st.running() ? points(pair) : List.of();
        Optional<Instant> crash = points.stream().filter(p -> p.consistency() == MarkerKind.CRASH).map(MachinePoint::time).max(Instant::compareTo);
        Optional<Instant> app = points.stream().filter(p -> p.consistency() == MarkerKind.APP).map(MachinePoint::time).max(Instant::compareTo);
        ReplicationState state = !st.running() ? ReplicationState.PAUSED
                : !st.initialSyncDone() ? ReplicationState.INITIAL_SYNC
                : st.lagBytes() > 0 ? ReplicationState.CATCHING_UP : ReplicationState.PROTECTED;
        double progress = st.initialSyncDone() ? 1 : Math.clamp(st.initialSyncProgress(), 0, 1);
        Optional<Duration> rpo = st.running() && st.initialSyncDone() ? Optional.of(Duration.ofNanos((long) (st.rpoSeconds() * 1e9))) : Optional.empty();
        List<String> unreachable = st.running() && !st.connected() ? List.of("the process server and master target of pair " + pair) : List.of();
        return new PairHealth(pair, state, progress, rpo, Math.max(0, st.lagBytes()), crash, app, unreachable);
    }

    /** A pair's replication status as measured now (health and metrics read it). */
    public EmbeddedDataPlane.PairStatus status(PairId pair) {
        return dataPlane.status(pair.text());
    }

    private static FailoverView convert(EmbeddedDataPlane.View v) {
        return new FailoverView(new ViewId(v.id()), PairId.parse(v.pair()), new PointId(v.point()), new MachineId(v.label().isEmpty() ? "unknown" : v.label()),
                v.disks().stream().map(d -> new FailoverView.Disk(new org.boomerang.common.DiskId(d.diskId()), d.uri())).toList());
    }

    /** A view id that is the same for every replay of one step: the pair and a digest of the request id, NBD-export safe. */
    static String viewId(PairId pair, RequestId requestId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(requestId.text().getBytes(StandardCharsets.UTF_8));
            return pair.text().replaceAll("[^A-Za-z0-9_-]", "-") + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Machine machine(String site, MachineId id) {
        Inventory inv = providers.of(new org.boomerang.provider.SiteId(site)).discover();
        return inv.machine(id).orElseThrow(() -> new BoomerangException(SiteError.DISK_NOT_FOUND,
                "machine " + id + " is not in the inventory of site " + site, "rediscover the site; if the machine is gone, recreate it"));
    }

    private interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (IOException e) {
            throw new BoomerangException(SiteError.IO_FAILED, "the data plane could not read or write: " + e.getMessage(),
                    "check the data folder's free space and permissions, then retry the operation", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoomerangException(SiteError.SYNC_TIMED_OUT, "interrupted while waiting for the data plane", "retry the operation", e);
        }
    }
}
