package org.boomerang.dataplane.site;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.boomerang.blockdev.BlockDevice;
import org.boomerang.blockdev.ByteRange;
import org.boomerang.blockdev.ChangeMap;
import org.boomerang.blockdev.RawFileBlockDevice;
import org.boomerang.common.AtomicFile;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.DiskId;
import org.boomerang.common.FileTrees;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.common.SyncMode;
import org.boomerang.dataplane.agent.SiteAgent;
import org.boomerang.dataplane.capture.CaptureOptions;
import org.boomerang.dataplane.capture.CaptureStatus;
import org.boomerang.dataplane.processserver.ProcessServerConfig;
import org.boomerang.dataplane.roles.Endpoint;
import org.boomerang.journal.Hydration;
import org.boomerang.journal.Journal;
import org.boomerang.journal.JournalIdentity;
import org.boomerang.journal.JournalOptions;
import org.boomerang.journal.Marker;
import org.boomerang.journal.RecoveryPoint;
import org.boomerang.journal.SegmentedJournal;
import org.boomerang.journal.WritableView;
import org.boomerang.journal.recovery.RetentionPolicy;
import org.boomerang.stream.CertificateAuthority;
import org.boomerang.sync.SyncDisk;
import org.boomerang.sync.SyncEngine;
import org.boomerang.sync.SyncOptions;
import org.boomerang.sync.SyncReport;
import org.boomerang.sync.SyncRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane of a set of sites, every role embedded in this process and talking over loopback with
 * its real protocols (SPEC §2): per site a master target, a process server and an agent
 * ({@link SitePlane}). It serves the disks of running machines over NBD, replicates pairs of disks from
 * one site to a journal at another, offers the recovery points of a pair, opens failover views (a point
 * of the journal plus a writable overlay, exported at once), commits them, and brings a replica's base up
 * to date with the sync engine. The control server drives it through its own seam; nothing here knows
 * the control plane.
 *
 * <h2>Names</h2>
 * A disk of a site is known by its export name at that site's agent. A pair streams each of its disks as
 * {@code <target site>.<pair>.<lineage>.<disk>}: the target site's process-server route and the master
 * target's journal directory are named by it, and a new lineage (a pair started again) gets new journals.
 *
 * <h2>What a view is</h2>
 * A failover view of disk d at point p is {@code journal(d).openWritable(p)}: reads are the replica at p,
 * writes go to an overlay. An unbound view is served under {@code <view>.<disk>} from its opening to its
 * close (the recovered machine's disks are those exports). A bound view (failback) takes the place of an
 * existing export of its target site: the original machine's disk, whose image is the base of the
 * reverse journal. Commit makes a view standalone: an unbound view is hydrated into a new image under
 * {@code sites/<site>/disks/<view>/}, a bound one is written back into its base image; the export is
 * switched to the image under a write pause, so clients stay connected.
 *
 * <h2>Tracked reprotect</h2>
 * When an unbound view is committed, what the replica and the recovered disk changed since the point —
 * the journal's records after it and the overlay's blocks — is saved as a 4 KiB change map with the pair's
 * lineage, and the committed disk keeps marking its writes in that map ({@link TrackingBlockDevice}). A
 * reverse pair that names that view as {@code trackedFrom} syncs exactly those blocks; when the map is
 * missing, damaged, or the forward pair stopped with changes it never delivered, the sync falls back to
 * delta and says why.
 *
 * <h2>Retention</h2>
 * A running pair with a {@code retention} keeps recovery points for that long: every
 * {@link #retentionPeriod} the journal of each of its disks folds the records older than the newest point
 * at least that old into its base image and deletes their segments ({@link SegmentedJournal#applyRetention},
 * the journal's own {@code Retention}). The pair's newest point and every point a failover view is open at
 * are kept whatever their age (each journal's base stays below them), points inside an inconsistent window
 * are never a base, and a pair whose replica is based on an existing disk waits for its sync to finish
 * (the sync writes that disk). Retention, syncs into a base, opening and committing views of a pair take the
 * pair's lock ({@link #pairLock}) before this data plane's monitor, never after it.
 *
 * <h2>State</h2>
 * {@code state.json} (written atomically on every change) holds the pairs and views; a restart reopens
 * them: captures resume from their dirty maps, views from their overlays.
 *
 * <p>Thread-safety: every mutating method is synchronized; syncs wait outside the lock.
 */
public final class EmbeddedDataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDataPlane.class);
    static final String STATE_FILE = "state.json";
    /** Where a site keeps the replicas of {@link RetainedReplica}, by failback view. */
    static final String RETAINED = "retained";
    static final int BLOCK = 4096;
    static final Duration DRAIN = Duration.ofSeconds(20);
    static final Duration CUT_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * One disk of a pair: its id, its export at the source site and its image when it has one; for a
     * replica based on an existing disk (original-location failback), that disk's image and its export at
     * the target site, which a failback view takes the place of. Null where there is none.
     */
    public record PairDisk(String diskId, String sourceExport, String sourceImage, String targetBase, String targetExport) {
        public PairDisk {
            requireNonNull(diskId, "diskId is null");
            requireNonNull(sourceExport, "sourceExport is null");
        }
    }

    /**
     * A pair to replicate. {@code crashEvery} / {@code appEvery}: the marker policy (a cut across the pair's
     * disks; the application-consistent one is taken with the disks' writes held, as a freeze would).
     * {@code trackedFrom}: the committed view whose change map a tracked sync of this pair sends (null: the
     * committed view whose disks are this pair's source, if any). {@code label}: free text for logs and
     * for the caller (e.g. the machine the pair's replica belongs to). {@code retention}: how long the
     * replica keeps recovery points (see Retention above); null or zero keeps every point. {@code masterTarget}:
     * the name of the master target the caller chose for the replica (logged with the pair; the target site's
     * master target writes it; null when none was chosen). {@code freeze} / {@code thaw}: the commands run
     * around an application-consistent point (argument vectors run without a shell, each within
     * {@link #FREEZE_TIMEOUT}); empty: none. A state file written before these fields existed reads them as
     * null and empty.
     */
    public record PairSpec(String id, String sourceSite, String targetSite, List<PairDisk> disks, Duration crashEvery, Duration appEvery,
            String trackedFrom, String label, Duration retention, String masterTarget, List<String> freeze, List<String> thaw) {
        public PairSpec {
            requireNonNull(id, "id is null");
            requireNonNull(sourceSite, "sourceSite is null");
            requireNonNull(targetSite, "targetSite is null");
            disks = List.copyOf(disks);
            requireNonNull(crashEvery, "crashEvery is null");
            requireNonNull(appEvery, "appEvery is null");
            freeze = freeze == null ? List.of() : List.copyOf(freeze);
            thaw = thaw == null ? List.of() : List.copyOf(thaw);
            if (freeze.isEmpty() && !thaw.isEmpty()) {
                throw new IllegalArgumentException("pair " + id + ": a thaw command needs a freeze command");
            }
        }

        /** A pair that keeps every point, with no master target named and no freeze commands. */
        public PairSpec(String id, String sourceSite, String targetSite, List<PairDisk> disks, Duration crashEvery, Duration appEvery,
                String trackedFrom, String label) {
            this(id, sourceSite, targetSite, disks, crashEvery, appEvery, trackedFrom, label, null);
        }

        /** A pair with a retention, no master target named and no freeze commands. */
        public PairSpec(String id, String sourceSite, String targetSite, List<PairDisk> disks, Duration crashEvery, Duration appEvery,
                String trackedFrom, String label, Duration retention) {
            this(id, sourceSite, targetSite, disks, crashEvery, appEvery, trackedFrom, label, retention, null, List.of(), List.of());
        }
    }

    /** The longest a freeze or thaw command may run before the point is given up (freeze) or the command killed. */
    static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(30);

    /** A recovery point of a pair: a marker present in every disk's journal, with its LSN in each. */
    public record Point(String id, Instant time, MarkerKind kind, String tag, Map<String, Long> lsns) {}

    /** One exported disk of a view. */
    public record ViewDisk(String diskId, String export, URI uri) {}

    public record View(String id, String pair, String point, String site, List<ViewDisk> disks, boolean committed, String label) {}

    /** What a sync did. */
    public record SyncResult(SyncMode mode, long bytesRead, long bytesSent, long blocksChanged, Duration took, String fallbackReason,
            long diskBytes) {}

    /**
     * A pair's replication as measured now; {@code fenced} is why the master target refused the pair's
     * source (empty while it is not fenced off).
     */
    public record PairStatus(String id, boolean running, boolean initialSyncDone, boolean replicated, boolean connected, double rpoSeconds,
            long lagBytes, double initialSyncProgress, long lastLsn, long durableLsn, String fenced) {}

    /**
     * A pair as persisted. {@code epoch}: the fencing epoch its source's streams say hello at;
     * {@code fence}: the epoch the data plane raised its streams to at the target's master target (a
     * failover view, the reverse direction); the source is fenced off while {@code fence > epoch}.
     */
    record PairState(PairSpec spec, String generation, Map<String, Long> syncedThrough, boolean running, boolean stoppedWithChanges,
            long epoch, long fence) {
        PairState with(Map<String, Long> synced, boolean isRunning, boolean withChanges) {
            return new PairState(spec, generation, synced, isRunning, withChanges, epoch, fence);
        }

        PairState fencedAt(long newFence) {
            return new PairState(spec, generation, syncedThrough, running, stoppedWithChanges, epoch, newFence);
        }

        PairState admittedAt(long newEpoch) {
            return new PairState(spec, generation, syncedThrough, running, stoppedWithChanges, newEpoch, Math.max(fence, newEpoch));
        }

        boolean fenced() {
            return fence > epoch;
        }
    }

    /** The fencing epoch a new pair's streams start at (0 is left to senders that predate fencing). */
    static final long FIRST_EPOCH = 1;

    record ViewDiskState(String diskId, String stream, long lsn, String export, boolean bound, String image) {}

    record ViewState(String id, String pair, String point, String site, List<ViewDiskState> disks, boolean committed) {}

    /**
     * A recovered machine's committed disk kept after its machine was deleted (FB-19), because the disk it
     * was failed back onto shares its lineage: {@code forExport} is that disk's export at the other site,
     * {@code failbackView} the committed failback view whose change map names where the two differ. A
     * pair from {@code forExport} toward {@code site} uses it once as its replica's base.
     */
    record RetainedReplica(String site, String forExport, String diskId, String image, String failbackView) {}

    /** {@code jobEpochs}: per job, the highest lease epoch a call was admitted under (absent in older states). */
    record State(List<PairState> pairs, List<ViewState> views, List<RetainedReplica> retained, Map<String, Long> jobEpochs) {}

    private final Path dir;
    private final Map<String, SitePlane> sites = new LinkedHashMap<>();
    private final Map<String, PairState> pairs = new LinkedHashMap<>();
    private final Map<String, ViewState> views = new LinkedHashMap<>();
    private final Map<String, Long> jobEpochs = new LinkedHashMap<>();
    private final List<RetainedReplica> retained = new ArrayList<>();
    /** site/export -> the device behind it (an image, a view, a committed disk). */
    private final Map<String, BlockDevice> devices = new HashMap<>();
    private final Map<String, WritableView> openViews = new HashMap<>();
    /** The journal handle each open view reads, by the same key as {@link #openViews}. */
    private final Map<String, SiteMasterTarget.ReplicaJournal> viewJournals = new HashMap<>();
    private final Map<String, List<ScheduledFuture<?>>> markers = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().name("dataplane-markers").daemon().factory());
    /** Runs the pairs' retention, apart from the markers so that folding records never delays a point. */
    private final ScheduledExecutorService retainer = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().name("dataplane-retention").daemon().factory());
    /** Per pair: held by retention, a sync into a base, opening and committing a view (taken before the monitor). */
    private final Map<String, ReentrantLock> pairLocks = new ConcurrentHashMap<>();
    private final CaptureOptions capture;

    private EmbeddedDataPlane(Path dir, CaptureOptions capture) {
        this.dir = dir;
        this.capture = capture;
    }

    /** Starts the roles of {@code siteIds} in this process under {@code dir} (certificates made on first start) and reopens the saved pairs and views. */
    public static EmbeddedDataPlane start(Path dir, List<String> siteIds, CaptureOptions capture) throws IOException {
        return start(dir, siteIds, capture, JournalOptions.DEFAULT_SEGMENT_BYTES, new RoleHosting.InProcess());
    }

    /** As {@link #start(Path, List, CaptureOptions)}, the master targets' journals rolling segments at {@code segmentBytes}. */
    public static EmbeddedDataPlane start(Path dir, List<String> siteIds, CaptureOptions capture, long segmentBytes) throws IOException {
        return start(dir, siteIds, capture, segmentBytes, new RoleHosting.InProcess());
    }

    /**
     * Starts the roles of {@code siteIds} under {@code dir}, each site's master target and process server
     * where {@code hosting} says, and reopens the saved pairs and views.
     */
    public static EmbeddedDataPlane start(Path dir, List<String> siteIds, CaptureOptions capture, RoleHosting hosting) throws IOException {
        return start(dir, siteIds, capture, JournalOptions.DEFAULT_SEGMENT_BYTES, hosting);
    }

    /** As {@link #start(Path, List, CaptureOptions, RoleHosting)}, the journals rolling segments at {@code segmentBytes}. */
    public static EmbeddedDataPlane start(Path dir, List<String> siteIds, CaptureOptions capture, long segmentBytes, RoleHosting hosting)
            throws IOException {
        requireNonNull(dir, "dir is null");
        requireNonNull(hosting, "hosting is null");
        Files.createDirectories(dir);
        Path certs = dir.resolve("certs");
        CertificateAuthority.initDirectory(certs, Set.of());
        EmbeddedDataPlane dp = new EmbeddedDataPlane(dir, capture);
        Map<String, SiteMasterTarget> mts = new LinkedHashMap<>();
        try {
            // Each site's roles start side by side: a child process takes seconds to start.
            mts.putAll(startEach(siteIds, s -> SitePlane.startMasterTarget(s, dir.resolve("sites").resolve(s), certs, hosting, segmentBytes),
                    SiteMasterTarget::close));
            dp.sites.putAll(startEach(siteIds, s -> {
                List<ProcessServerConfig.Route> routes = new ArrayList<>();
                mts.forEach((other, mt) -> {
                    if (!other.equals(s)) {
                        routes.add(new ProcessServerConfig.Route(new Endpoint(SitePlane.LOOPBACK, mt.port()), List.of(other + ".*")));
                    }
                });
                if (routes.isEmpty()) {
                    routes.add(new ProcessServerConfig.Route(new Endpoint(SitePlane.LOOPBACK, mts.get(s).port()), List.of(s + ".*")));
                }
                return SitePlane.start(s, dir.resolve("sites").resolve(s), certs, mts.get(s), routes, hosting);
            }, SitePlane::closeSenders));
            dp.recover();
            return dp;
        } catch (IOException | RuntimeException e) {
            dp.close();
            for (SiteMasterTarget mt : mts.values()) {
                if (dp.sites.values().stream().noneMatch(p -> p.masterTarget() == mt)) {
                    mt.close();
                }
            }
            throw e;
        }
    }

    private interface Starter<T> {
        T start(String site) throws IOException;
    }

    /**
     * Runs {@code starter} for every site at once and returns what each started, in the sites' order; when
     * any fails, what the others started is stopped with {@code stop} and the first failure is thrown.
     */
    private static <T> Map<String, T> startEach(List<String> siteIds, Starter<T> starter, java.util.function.Consumer<T> stop)
            throws IOException {
        Map<String, java.util.concurrent.Future<T>> futures = new LinkedHashMap<>();
        try (java.util.concurrent.ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String s : siteIds) {
                futures.put(s, ex.submit(() -> starter.start(s)));
            }
        }
        Map<String, T> started = new LinkedHashMap<>();
        Throwable failure = null;
        for (Map.Entry<String, java.util.concurrent.Future<T>> f : futures.entrySet()) {
            try {
                started.put(f.getKey(), f.getValue().get());
            } catch (java.util.concurrent.ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? new IOException("interrupted while the data plane started", e) : failure;
            }
        }
        if (failure == null) {
            return started;
        }
        started.values().forEach(stop);
        switch (failure) {
            case IOException io -> throw io;
            case RuntimeException r -> throw r;
            case Error err -> throw err;
            default -> throw new IOException(failure);
        }
    }

    /** A role of a site that runs as a child process ({@link RoleHosting.ChildProcesses}): its process now, its port, how often it started. */
    public record RoleStatus(String site, ChildRole role, long pid, int port, int starts, boolean running) {}

    /** The roles that run as child processes, site by site; empty when every role runs in this process. */
    public List<RoleStatus> childRoles() {
        List<RoleStatus> out = new ArrayList<>();
        for (SitePlane s : sites.values()) {
            for (ChildRole r : ChildRole.values()) {
                s.child(r).ifPresent(p -> {
                    RoleProcess.Status st = p.status();
                    out.add(new RoleStatus(s.site(), r, st.pid(), st.port(), st.starts(), st.running()));
                });
            }
        }
        return out;
    }

    /**
     * Waits until the child process of {@code role} at {@code site} listens again in a process other than
     * {@code pid} (after that one died and was started again); returns when it did.
     */
    public Instant awaitRestarted(String site, ChildRole role, long pid, Duration timeout) throws InterruptedException {
        RoleProcess p = site(site).child(role).orElseThrow(() -> new BoomerangException(SiteError.ROLE_PROCESS_FAILED,
                "the " + role.command() + " of site " + site + " runs in this process, not as a child process",
                "start the data plane with its roles as child processes"));
        return p.awaitRestarted(pid, timeout);
    }

    /** The sites this data plane runs roles for, in the order given. */
    public List<String> sites() {
        return List.copyOf(sites.keySet());
    }

    /** Where the process server of {@code site} takes agents' streams ({@code host:port}). */
    public String processServerAddress(String site) {
        return SitePlane.LOOPBACK + ":" + site(site).processServer().port();
    }

    // ---- disks of running machines

    /** Serves the disk {@code export} of {@code site} (its image, or what a view put in its place); returns its NBD address. */
    public synchronized URI online(String site, String export, Path image) throws IOException {
        SitePlane s = site(site);
        s.agent().online(export, device(site, export, image));
        return s.agent().uri(export);
    }

    /** True when {@code export} is a disk this data plane holds at {@code site} (an image it opened, a view, a committed disk). */
    public synchronized boolean knows(String site, String export) {
        return devices.containsKey(key(site, export));
    }

    /** Stops serving {@code export} (the machine is off); writes in flight are flushed first. */
    public synchronized void offline(String site, String export) throws IOException {
        site(site).agent().offline(export);
    }

    /** The NBD address of {@code export} while it is served. */
    public synchronized Optional<URI> uri(String site, String export) {
        SitePlane s = sites.get(site);
        return s != null && s.agent().isOnline(export) ? Optional.of(s.agent().uri(export)) : Optional.empty();
    }

    // ---- pairs

    /** Starts replicating a pair; starting a running pair again is a no-op. */
    public synchronized void startPair(PairSpec spec) throws IOException {
        PairState existing = pairs.get(spec.id());
        if (existing != null && existing.running()) {
            return;
        }
        fenceOpposite(spec);
        spec = withRetainedBase(spec);
        UUID generation = UUID.randomUUID();
        SitePlane source = site(spec.sourceSite());
        SitePlane target = site(spec.targetSite());
        for (PairDisk d : spec.disks()) {
            String stream = stream(spec, generation, d);
            BlockDevice dev = device(spec.sourceSite(), d.sourceExport(), d.sourceImage() == null ? null : Path.of(d.sourceImage()));
            if (d.targetBase() != null) {
                Path journal = target.masterTarget().journalDirectory(stream);
                Files.createDirectories(journal.getParent());
                SegmentedJournal.createOnDisk(journal, new JournalIdentity(new DiskId(stream), dev.size(), BLOCK, generation),
                        Path.of(d.targetBase()), JournalOptions.defaults()).close();
            }
            source.agent().protect(stream, d.sourceExport(), dev, source.captureState(stream), generation, d.targetBase() == null, capture,
                    FIRST_EPOCH);
        }
        PairState st = new PairState(spec, generation.toString(), Map.of(), true, false, FIRST_EPOCH, FIRST_EPOCH);
        pairs.put(spec.id(), st);
        save();
        scheduleMarkers(st);
        LOG.info("pair {} started: {} disk(s) from {} to {}{}, lineage {}", spec.id(), spec.disks().size(), spec.sourceSite(),
                spec.targetSite(), spec.masterTarget() == null ? "" : " (master target " + spec.masterTarget() + ")", generation);
    }

    /**
     * The pair with its disks based on the replicas the target site retained for them (once each: the
     * replica becomes the pair's and leaves the retained list), and its tracked sync taken from the
     * failback that kept them; the pair as given when there is none.
     */
    private PairSpec withRetainedBase(PairSpec spec) throws IOException {
        List<PairDisk> disks = new ArrayList<>();
        String from = spec.trackedFrom();
        boolean any = false;
        for (PairDisk d : spec.disks()) {
            Optional<RetainedReplica> r = d.targetBase() != null ? Optional.empty() : retained.stream()
                    .filter(x -> x.site().equals(spec.targetSite()) && x.forExport().equals(d.sourceExport()) && x.diskId().equals(d.diskId())
                            && Files.exists(Path.of(x.image())))
                    .findFirst();
            if (r.isPresent()) {
                retained.remove(r.get());
                disks.add(new PairDisk(d.diskId(), d.sourceExport(), d.sourceImage(), r.get().image(), null));
                from = r.get().failbackView();
                any = true;
                LOG.info("pair {}: disk {} replicates onto the replica {} kept at {} (failback {})", spec.id(), d.diskId(), r.get().image(),
                        spec.targetSite(), r.get().failbackView());
            } else {
                disks.add(d);
            }
        }
        return any ? new PairSpec(spec.id(), spec.sourceSite(), spec.targetSite(), disks, spec.crashEvery(), spec.appEvery(), from, spec.label(),
                spec.retention(), spec.masterTarget(), spec.freeze(), spec.thaw()) : spec;
    }

    /** Stops a pair's streams (they drain first); its journals stay for views and reprotect. Stopping a stopped pair is a no-op. */
    public synchronized void stopPair(String pairId) throws IOException {
        PairState st = pairs.get(pairId);
        if (st == null || !st.running()) {
            return;
        }
        cancelMarkers(pairId);
        SiteAgent agent = site(st.spec().sourceSite()).agent();
        boolean left = false;
        for (PairDisk d : st.spec().disks()) {
            String stream = stream(st, d);
            left |= !agent.unprotect(stream, DRAIN);
        }
        pairs.put(pairId, st.with(st.syncedThrough(), false, left));
        save();
        LOG.info("pair {} stopped{}", pairId, left ? " with changes its replica never received" : "");
    }

    /** The pair's recovery points, oldest first: markers present in every disk's journal, after the pair's initial sync. */
    public synchronized List<Point> points(String pairId) throws IOException {
        PairState st = pairs.get(pairId);
        if (st == null) {
            return List.of();
        }
        Map<String, Map<String, Long>> byId = new LinkedHashMap<>();
        Map<String, RecoveryPoint> any = new HashMap<>();
        for (PairDisk d : st.spec().disks()) {
            Optional<SiteMasterTarget.ReplicaJournal> j = site(st.spec().targetSite()).masterTarget().open(stream(st, d));
            if (j.isEmpty()) {
                return List.of();
            }
            List<RecoveryPoint> held;
            try (SiteMasterTarget.ReplicaJournal r = j.get()) {
                held = r.journal().points();
            }
            long after = st.syncedThrough().getOrDefault(d.diskId(), 0L);
            for (RecoveryPoint p : held) {
                if (p.lsn().value() > after) {
                    byId.computeIfAbsent(p.id(), k -> new LinkedHashMap<>()).put(d.diskId(), p.lsn().value());
                    any.putIfAbsent(p.id(), p);
                }
            }
        }
        int n = st.spec().disks().size();
        return byId.entrySet().stream().filter(e -> e.getValue().size() == n)
                .map(e -> {
                    Marker m = any.get(e.getKey()).marker();
                    return new Point(e.getKey(), m.time(), m.kind(), m.tag(), Map.copyOf(e.getValue()));
                })
                .sorted(Comparator.comparing(Point::time)).toList();
    }

    /** Puts an application-consistent (or crash-consistent) marker into a running pair now; empty when a window is open. */
    public Optional<Point> mark(String pairId, MarkerKind kind, String tag) throws IOException, InterruptedException {
        PairState st;
        synchronized (this) {
            st = pairs.get(pairId);
        }
        if (st == null || !st.running()) {
            return Optional.empty();
        }
        boolean frozen = kind == MarkerKind.APP && !st.spec().freeze().isEmpty();
        if (frozen && !run(pairId, "freeze", st.spec().freeze())) {
            if (!st.spec().thaw().isEmpty()) {
                run(pairId, "thaw", st.spec().thaw()); // a freeze that failed half-way is released too
            }
            return Optional.empty();
        }
        try {
            Marker marker = new Marker(kind, UUID.randomUUID().toString(), Instant.now(), "", tag);
            List<String> streams = st.spec().disks().stream().map(d -> stream(st, d)).toList();
            return site(st.spec().sourceSite()).agent().cut(streams, marker, CUT_TIMEOUT)
                    .map(marks -> new Point(marker.pointId(), marker.time(), kind, tag, Map.of()));
        } finally {
            if (frozen && !st.spec().thaw().isEmpty()) {
                run(pairId, "thaw", st.spec().thaw());
            }
        }
    }

    /** Runs a freeze or thaw command of a pair within {@link #FREEZE_TIMEOUT}; true when it exits 0. Its output goes to the log. */
    private static boolean run(String pairId, String what, List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            LOG.warn("pair {}: {} command {} could not start: {}", pairId, what, command, e.getMessage());
            return false;
        }
        Thread.ofVirtual().start(() -> {
            try (var in = p.inputReader()) {
                in.lines().forEach(line -> LOG.info("pair {} {}: {}", pairId, what, line));
            } catch (IOException e) {
                LOG.debug("pair {}: {} output: {}", pairId, what, e.getMessage());
            }
        });
        if (!p.waitFor(FREEZE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            LOG.warn("pair {}: {} command {} did not finish within {} s; killed", pairId, what, command, FREEZE_TIMEOUT.toSeconds());
            return false;
        }
        if (p.exitValue() != 0) {
            LOG.warn("pair {}: {} command {} exited {}; no application-consistent point this time", pairId, what, command, p.exitValue());
            return false;
        }
        return true;
    }

    public synchronized PairStatus status(String pairId) {
        PairState st = pairs.get(pairId);
        if (st == null) {
            return new PairStatus(pairId, false, false, false, false, 0, 0, 0, 0, 0, "");
        }
        SiteAgent agent = site(st.spec().sourceSite()).agent();
        boolean replicated = st.running();
        boolean connected = st.running();
        boolean initial = true;
        double rpo = 0;
        long lag = 0;
        long sent = 0;
        long total = 0;
        long last = 0;
        long durable = 0;
        String fenced = "";
        for (PairDisk d : st.spec().disks()) {
            String stream = stream(st, d);
            Optional<CaptureStatus> cs = agent.status(stream);
            if (fenced.isEmpty()) {
                fenced = agent.fenced(stream).orElse(st.running() && st.fenced() ? "the data plane raised the fencing epoch of " + stream
                        + " to " + st.fence() + " (a failover view or the reverse direction); the source is at " + st.epoch() : "");
            }
            replicated &= agent.replicated(stream);
            connected &= agent.connected(stream) || agent.fenced(stream).isPresent(); // refused by a reachable peer
            rpo = Math.max(rpo, agent.rpoSeconds(stream));
            if (cs.isPresent()) {
                lag += cs.get().dirtyBytes();
                sent += cs.get().catchUpSentBytes();
                total += cs.get().catchUpTotalBytes();
                last += cs.get().lastLsn();
                durable += cs.get().durableAtTarget();
                initial &= !(cs.get().windowOpen() && cs.get().lastLsn() == 0) && (d.targetBase() == null || st.syncedThrough().containsKey(d.diskId()));
                if (d.targetBase() == null && cs.get().durableAtTarget() == 0) {
                    initial = false;
                }
            }
        }
        return new PairStatus(pairId, st.running(), initial, replicated, connected, rpo, lag, total == 0 ? 1.0 : (double) sent / total,
                last, durable, fenced);
    }

    // ---- syncs

    /**
     * Brings the pair's replica up to date. A pair whose replica is a new journal copies its source as the
     * capture's initial copy: this waits until that copy is durable at the master target. A pair whose
     * replica is based on an existing disk runs the sync engine from the source into that disk with
     * {@code mode} (TRACKED falls back to DELTA when its change map cannot be trusted, and says why), then
     * offers points only after it.
     */
    public SyncResult sync(String pairId, SyncMode mode, Duration timeout) throws IOException, InterruptedException {
        if (!mode.writesTarget()) {
            throw new IllegalArgumentException("a pair's sync brings its replica up to date; " + mode + " writes nothing");
        }
        PairState st;
        synchronized (this) {
            st = pairs.get(pairId);
        }
        if (st == null || !st.running()) {
            throw new BoomerangException(SiteError.PAIR_NOT_RUNNING, "pair " + pairId + " is not replicating",
                    "start its replication (enable protection or reprotect) first");
        }
        boolean based = st.spec().disks().stream().anyMatch(d -> d.targetBase() != null);
        if (!based) {
            return awaitInitialCopy(st, timeout);
        }
        ReentrantLock lock = pairLock(pairId);
        lock.lock(); // the sync writes the journal's base image: no retention meanwhile
        try {
            return syncIntoBase(st, mode);
        } finally {
            lock.unlock();
        }
    }

    private SyncResult awaitInitialCopy(PairState st, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        SiteAgent agent = site(st.spec().sourceSite()).agent();
        while (true) {
            boolean all = true;
            for (PairDisk d : st.spec().disks()) {
                all &= agent.replicated(stream(st, d));
            }
            if (all) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new BoomerangException(SiteError.SYNC_TIMED_OUT, "the initial copy of pair " + st.spec().id() + " did not finish within "
                        + timeout.toSeconds() + " s", "check the pair's status (agent connected, master target reachable), then retry");
            }
            Thread.sleep(50);
        }
        long read = 0;
        long sent = 0;
        long size = 0;
        for (PairDisk d : st.spec().disks()) {
            String stream = stream(st, d);
            read += agent.status(stream).map(CaptureStatus::catchUpTotalBytes).orElse(0L);
            sent += agent.sentBytes(stream);
            synchronized (this) {
                size += device(st.spec().sourceSite(), d.sourceExport(), null).size();
            }
        }
        return new SyncResult(SyncMode.FULL, read, sent, sent / BLOCK, Duration.ofNanos(System.nanoTime() - start),
                "", size);
    }

    private SyncResult syncIntoBase(PairState st, SyncMode requested) throws IOException {
        long start = System.nanoTime();
        SyncMode mode = requested;
        String reason = "";
        List<Path> maps = new ArrayList<>();
        if (mode == SyncMode.FULL && onRetained(st.spec())) {
            mode = SyncMode.TRACKED;
            reason = "the target site kept the disk this one was failed back from (failback " + st.spec().trackedFrom()
                    + "), so only the blocks changed since the failback are sent";
        }
        if (mode == SyncMode.TRACKED) {
            Optional<String> refused = trackedInputs(st, maps);
            if (refused.isPresent()) {
                mode = SyncMode.DELTA;
                reason = reason.isEmpty() ? refused.get() : reason + "; its change map cannot be used (" + refused.get()
                        + "), so a delta sync compares every block";
                maps.clear();
            }
        }
        long read = 0;
        long sent = 0;
        long changed = 0;
        long size = 0;
        Map<String, Long> synced = new LinkedHashMap<>();
        SiteAgent agent = site(st.spec().sourceSite()).agent();
        try (SyncEngine engine = new SyncEngine(SyncOptions.withBlockSize(BLOCK), Clock.SYSTEM)) {
            int i = 0;
            for (PairDisk d : st.spec().disks()) {
                BlockDevice source = device(st.spec().sourceSite(), d.sourceExport(), null);
                source.flush();
                try (RawFileBlockDevice target = RawFileBlockDevice.open(Path.of(d.targetBase()), false)) {
                    SyncRequest req = new SyncRequest(mode, new SyncDisk(source, d.sourceExport(), true),
                            new SyncDisk(target, d.targetBase(), true),
                            mode == SyncMode.TRACKED ? List.of(maps.get(i)) : List.of(), Optional.empty());
                    SyncReport r = engine.run(req);
                    target.flush();
                    read += r.sourceBytesRead() + r.targetBytesRead();
                    sent += r.bytesSent() + r.digestBytes();
                    changed += r.blocksChanged();
                    size += r.size();
                }
                synced.put(d.diskId(), agent.status(stream(st, d)).map(CaptureStatus::lastLsn).orElse(0L));
                i++;
            }
        }
        synchronized (this) {
            PairState now = pairs.get(st.spec().id());
            pairs.put(st.spec().id(), now.with(synced, now.running(), now.stoppedWithChanges()));
            save();
        }
        return new SyncResult(mode, read, sent, changed, Duration.ofNanos(System.nanoTime() - start), reason, size);
    }

    /** The change maps of a tracked sync, one per disk in order; or why they cannot be trusted. */
    private Optional<String> trackedInputs(PairState st, List<Path> maps) throws IOException {
        String from = st.spec().trackedFrom();
        if (from == null) {
            synchronized (this) {
                Set<String> sources = st.spec().disks().stream().map(PairDisk::sourceExport).collect(Collectors.toSet());
                from = views.values().stream().filter(ViewState::committed).filter(x -> x.site().equals(st.spec().sourceSite()))
                        .filter(x -> x.disks().stream().anyMatch(d -> sources.contains(d.export()))).map(ViewState::id).reduce((a, b) -> b)
                        .orElse(null);
            }
        }
        if (from == null) {
            return Optional.of("no committed failover to take the changed blocks from");
        }
        ViewState v;
        PairState forward;
        synchronized (this) {
            v = views.get(from);
            forward = v == null ? null : pairs.get(v.pair());
        }
        if (v == null || !v.committed()) {
            return Optional.of("failover " + from + " is not committed, so its changes are not final");
        }
        if (forward != null && forward.stoppedWithChanges()) {
            return Optional.of("the forward replication stopped with writes its replica never received");
        }
        for (PairDisk d : st.spec().disks()) {
            Optional<ViewDiskState> vd = v.disks().stream().filter(x -> x.diskId().equals(d.diskId())).findFirst();
            if (vd.isEmpty()) {
                return Optional.of("disk " + d.diskId() + " was not part of failover " + from);
            }
            device(v.site(), vd.get().export(), null).flush();
            Path map = changesFile(v, vd.get());
            try {
                ChangeMap.readFrom(map);
            } catch (IOException | RuntimeException e) {
                return Optional.of("the change map of disk " + d.diskId() + " cannot be read (" + e.getMessage() + ")");
            }
            maps.add(map);
        }
        return Optional.empty();
    }

    // ---- views

    /**
     * Opens a failover view of a pair at a point and exports it at once (idempotent by {@code viewId}).
     * A disk with a {@code targetExport} takes the place of that export (failback onto the original
     * machine, served whenever that machine runs); any other is served as {@code <viewId>.<disk>}.
     */
    public View openView(String pairId, String pointId, String viewId) throws IOException {
        return openView(pairId, pointId, viewId, false);
    }

    /**
     * Opens a view as {@link #openView(String, String, String)} does; with {@code fenceSource} (a failover,
     * not a test) it first fences the pair's source off at the target's master target, durably, so the
     * old source cannot write into the replica any more, also while no control server runs; closing the
     * pair's last open view re-admits it.
     */
    public View openView(String pairId, String pointId, String viewId, boolean fenceSource) throws IOException {
        ReentrantLock lock = pairLock(pairId);
        lock.lock(); // no retention run may drop the point between its lookup and the view's opening
        try {
            return openViewLocked(pairId, pointId, viewId, fenceSource);
        } finally {
            lock.unlock();
        }
    }

    private synchronized View openViewLocked(String pairId, String pointId, String viewId, boolean fenceSource) throws IOException {
        ViewState existing = views.get(viewId);
        if (existing != null) {
            return view(existing);
        }
        PairState st = pairs.get(pairId);
        if (st == null) {
            throw new BoomerangException(SiteError.PAIR_NOT_FOUND, "pair " + pairId + " has no replica", "protect the machine first");
        }
        Point point = points(pairId).stream().filter(p -> p.id().equals(pointId)).findFirst().orElseThrow(() -> new BoomerangException(
                SiteError.POINT_NOT_FOUND, "pair " + pairId + " has no recovery point " + pointId, "list the item's points and choose one"));
        String site = st.spec().targetSite();
        List<ViewDiskState> disks = new ArrayList<>();
        for (PairDisk d : st.spec().disks()) {
            String stream = stream(st, d);
            boolean bound = d.targetExport() != null;
            String export = bound ? d.targetExport() : viewId + "." + d.diskId();
            disks.add(new ViewDiskState(d.diskId(), stream, point.lsns().get(d.diskId()), export, bound, null));
        }
        if (fenceSource) {
            fence(st);
        }
        ViewState v = new ViewState(viewId, pairId, pointId, site, disks, false);
        for (ViewDiskState d : disks) {
            attach(v, d);
        }
        views.put(viewId, v);
        save();
        LOG.info("view {} of pair {} at point {} opened at {}", viewId, pairId, pointId, site);
        return view(v);
    }

    /** Opens the writable view of one disk and puts it behind its export. */
    private void attach(ViewState v, ViewDiskState d) throws IOException {
        SiteMasterTarget.ReplicaJournal j = site(v.site()).masterTarget().open(d.stream()).orElseThrow(() -> new BoomerangException(
                SiteError.PAIR_NOT_FOUND, "the journal of " + d.stream() + " is gone", "protect the machine again"));
        WritableView w;
        try {
            w = j.journal().openWritable(Lsn.of(d.lsn()), overlay(v, d));
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
        openViews.put(v.id() + "/" + d.diskId(), w);
        viewJournals.put(v.id() + "/" + d.diskId(), j);
        String key = key(v.site(), d.export());
        SiteAgent agent = site(v.site()).agent();
        if (d.bound() && agent.isOnline(d.export())) {
            agent.swap(d.export(), old -> w);
        } else if (!d.bound()) {
            agent.online(d.export(), w);
        }
        devices.put(key, w);
    }

    /** Closes a view and discards its overlay; closing a closed (or committed) view is a no-op. */
    public synchronized void closeView(String viewId) throws IOException {
        ViewState v = views.get(viewId);
        if (v == null || v.committed()) {
            return;
        }
        SiteAgent agent = site(v.site()).agent();
        for (ViewDiskState d : v.disks()) {
            String key = key(v.site(), d.export());
            if (d.bound()) {
                Path base = Path.of(pairs.get(v.pair()).spec().disks().stream().filter(x -> x.diskId().equals(d.diskId())).findFirst()
                        .orElseThrow().targetBase());
                if (agent.isOnline(d.export())) {
                    BlockDevice image = RawFileBlockDevice.open(base, false);
                    agent.swap(d.export(), old -> image);
                    devices.put(key, image);
                } else {
                    devices.remove(key);
                }
            } else {
                agent.offline(d.export());
                devices.remove(key);
            }
            WritableView w = openViews.remove(v.id() + "/" + d.diskId());
            if (w != null) {
                w.close();
            }
            SiteMasterTarget.ReplicaJournal held = viewJournals.remove(v.id() + "/" + d.diskId());
            if (held != null) {
                held.close();
            }
            FileTrees.delete(overlay(v, d));
        }
        views.remove(viewId);
        save();
        LOG.info("view {} closed, its overlay discarded", viewId);
        PairState st = pairs.get(v.pair());
        if (st != null) {
            readmit(st, false);
        }
    }

    // ---- fencing

    /**
     * Admits a call that job {@code job} makes under lease epoch {@code epoch} (the control server's
     * job lease): refused with {@link SiteError#STALE_JOB_LEASE} when a call of the same job under a
     * higher epoch was admitted before (its caller lost the lease to another control server and does
     * not know yet); a higher epoch is remembered durably before the call goes on. Epoch 0 (a caller
     * that holds no lease) is admitted and remembers nothing.
     */
    public synchronized void admitJob(String job, long epoch) throws IOException {
        requireNonNull(job, "job is null");
        if (epoch <= 0) {
            return;
        }
        long seen = jobEpochs.getOrDefault(job, 0L);
        if (epoch < seen) {
            throw new BoomerangException(SiteError.STALE_JOB_LEASE, "job " + job + " called under lease epoch " + epoch
                    + ", but a call under epoch " + seen + " was admitted already: another control server holds the job now",
                    "nothing to do: the control server with the newer lease carries the job on; this one stops the step");
        }
        if (epoch > seen) {
            jobEpochs.put(job, epoch);
            save();
        }
    }

    /**
     * Fences the pair's source off: raises the fencing epoch of each of its streams at the target site's
     * master target above the source's (durably, before anything opens on the replica); the master target
     * ends the running streams and refuses the source from now on, also while no control server runs.
     * Fencing a fenced pair is a no-op.
     */
    private PairState fence(PairState st) throws IOException {
        if (st.fenced()) {
            return st;
        }
        long epoch = Math.max(st.epoch(), st.fence()) + 1;
        SiteMasterTarget mt = site(st.spec().targetSite()).masterTarget();
        for (PairDisk d : st.spec().disks()) {
            epoch = Math.max(epoch, mt.fence(stream(st, d), epoch));
        }
        cancelMarkers(st.spec().id()); // a fenced source's points would never reach the replica
        PairState now = st.fencedAt(epoch);
        pairs.put(st.spec().id(), now);
        save();
        LOG.warn("pair {}: its source at {} is fenced off at the master target of {} (epoch {} > the source's {})", st.spec().id(),
                st.spec().sourceSite(), st.spec().targetSite(), epoch, st.epoch());
        return now;
    }

    /**
     * Lets a fenced pair's source stream again at the fence's epoch (its failover view was closed, so no
     * other writer owns the replica; or the view is being committed and the source drains before the pair
     * stops): its senders say hello at the new epoch and catch up from the dirty map. A no-op while the
     * pair is stopped, not fenced, or (unless {@code evenWithOpenViews}) still has an open view.
     */
    private void readmit(PairState st, boolean evenWithOpenViews) throws IOException {
        if (!st.running() || !st.fenced()
                || (!evenWithOpenViews && views.values().stream().anyMatch(v -> v.pair().equals(st.spec().id()) && !v.committed()))) {
            return;
        }
        SiteAgent agent = site(st.spec().sourceSite()).agent();
        for (PairDisk d : st.spec().disks()) {
            agent.readmit(stream(st, d), st.fence());
        }
        PairState now = st.admittedAt(st.fence());
        pairs.put(st.spec().id(), now);
        save();
        scheduleMarkers(now);
        LOG.info("pair {}: its source is re-admitted at fencing epoch {}", st.spec().id(), st.fence());
    }

    /**
     * Fences off the pairs of the opposite direction that {@code spec} takes over: a pair whose source
     * disk {@code spec} writes to (the original machine, reprotected into), or whose view (recovered or
     * committed disk) is {@code spec}'s source.
     */
    private void fenceOpposite(PairSpec spec) throws IOException {
        for (PairState p : List.copyOf(pairs.values())) {
            if (!p.spec().targetSite().equals(spec.sourceSite()) || !p.spec().sourceSite().equals(spec.targetSite())
                    || p.spec().id().equals(spec.id())) {
                continue;
            }
            Set<String> viewExports = views.values().stream().filter(v -> v.pair().equals(p.spec().id()))
                    .flatMap(v -> v.disks().stream().map(ViewDiskState::export)).collect(Collectors.toSet());
            Set<String> sourceExports = p.spec().disks().stream().map(PairDisk::sourceExport).collect(Collectors.toSet());
            boolean takesOver = spec.disks().stream().anyMatch(d -> viewExports.contains(d.sourceExport())
                    || (d.targetExport() != null && sourceExports.contains(d.targetExport())));
            if (takesOver) {
                fence(p);
            }
        }
    }

    /**
     * Commits a view: the pair's streams stop, the view's data becomes standalone (a new image for an
     * unbound view, written back into the base for a bound one) while it stays served, and the journals are
     * deleted. For an unbound view the change map of a later tracked reprotect is kept first.
     */
    public void commitView(String viewId) throws IOException {
        String pairId;
        synchronized (this) {
            ViewState v = views.get(viewId);
            pairId = v == null ? "" : v.pair();
        }
        ReentrantLock lock = pairLock(pairId);
        lock.lock(); // the journals are released and deleted: no retention run may be inside them
        try {
            commitViewLocked(viewId);
        } finally {
            lock.unlock();
        }
    }

    private synchronized void commitViewLocked(String viewId) throws IOException {
        ViewState v = views.get(viewId);
        if (v == null) {
            throw new BoomerangException(SiteError.VIEW_NOT_FOUND, "no failover view " + viewId, "fail over first");
        }
        if (v.committed()) {
            return;
        }
        PairState before = pairs.get(v.pair());
        if (before != null && before.running() && before.fenced()) {
            // The view reads the journal at its point, so what the fenced source still holds cannot reach it:
            // let the source deliver its dirty map before the pair stops, so that the journal's records after
            // the point (a tracked reprotect's input) hold every write the source made.
            readmit(before, true);
        }
        stopPair(v.pair());
        PairState st = pairs.get(v.pair());
        SiteAgent agent = site(v.site()).agent();
        List<ViewDiskState> done = new ArrayList<>();
        for (ViewDiskState d : v.disks()) {
            WritableView w = openViews.get(v.id() + "/" + d.diskId());
            // Opened after the pair stopped: it holds every record the stream delivered (the view's handle may be older).
            SiteMasterTarget.ReplicaJournal lease = site(v.site()).masterTarget().open(d.stream()).orElseThrow();
            SegmentedJournal j = lease.journal();
            ChangeMap tracker = new ChangeMap(w.size(), BLOCK, UUID.fromString(st.generation()));
            w.track(tracker);
            String key = key(v.site(), d.export());
            if (d.bound()) {
                Path base = Path.of(st.spec().disks().stream().filter(x -> x.diskId().equals(d.diskId())).findFirst().orElseThrow().targetBase());
                ChangeMap changed = changedSince(j, j.baseLsn(), w, st);
                // Where the failed-back disk and the recovery-site disk it came from differ from now on: the
                // records after the point and the view's writes; the disk keeps marking its writes (FB-20).
                ChangeMap since = changedSince(j, Lsn.of(d.lsn()), w, st);
                Path mapFile = changesFile(v, d);
                Files.createDirectories(mapFile.getParent());
                since.writeTo(mapFile);
                RawFileBlockDevice image = RawFileBlockDevice.open(base, false);
                TrackingBlockDevice tracking = new TrackingBlockDevice(image, since, mapFile);
                copyRuns(w, image, changed);
                if (agent.isOnline(d.export())) {
                    agent.swap(d.export(), old -> {
                        copyRuns(w, tracking, tracker);
                        tracking.flush();
                        return tracking;
                    });
                } else {
                    copyRuns(w, tracking, tracker);
                    tracking.flush();
                }
                devices.put(key, tracking);
                done.add(new ViewDiskState(d.diskId(), d.stream(), d.lsn(), d.export(), true, base.toString()));
            } else {
                ChangeMap changes = changedSince(j, Lsn.of(d.lsn()), w, st);
                Path mapFile = changesFile(v, d);
                Files.createDirectories(mapFile.getParent());
                changes.writeTo(mapFile);
                Path image = dir.resolve("sites").resolve(v.site()).resolve("disks").resolve(v.id()).resolve(d.diskId() + ".img");
                Files.createDirectories(image.getParent());
                Hydration.copy(w, image);
                RawFileBlockDevice raw = RawFileBlockDevice.open(image, false);
                TrackingBlockDevice tracking = new TrackingBlockDevice(raw, changes, mapFile);
                if (agent.isOnline(d.export())) {
                    agent.swap(d.export(), old -> {
                        copyRuns(w, raw, tracker);
                        raw.flush();
                        return tracking;
                    });
                } else { // its machine is off: nothing writes to the view
                    copyRuns(w, raw, tracker);
                    raw.flush();
                }
                devices.put(key, tracking);
                done.add(new ViewDiskState(d.diskId(), d.stream(), d.lsn(), d.export(), false, image.toString()));
            }
            w.untrack(tracker);
            openViews.remove(v.id() + "/" + d.diskId());
            w.close();
            lease.close();
            SiteMasterTarget.ReplicaJournal held = viewJournals.remove(v.id() + "/" + d.diskId());
            if (held != null) {
                held.close();
            }
            FileTrees.delete(overlay(v, d));
            site(v.site()).masterTarget().release(d.stream());
            FileTrees.delete(site(v.site()).masterTarget().journalDirectory(d.stream()));
            if (!d.bound() && onRetained(st.spec())) { // the kept replica was this journal's base: the hydrated image replaces it
                for (PairDisk pd : st.spec().disks()) {
                    if (pd.diskId().equals(d.diskId()) && pd.targetBase() != null) {
                        Files.deleteIfExists(Path.of(pd.targetBase()));
                    }
                }
            }
        }
        ViewState committed = new ViewState(v.id(), v.pair(), v.point(), v.site(), done, true);
        views.put(viewId, committed);
        save();
        LOG.info("view {} committed: its disks are standalone, the journals of pair {} are deleted", viewId, v.pair());
    }

    /** The blocks in which the view differs from the base image: the journal's records after {@code after} and the overlay's blocks. */
    private static ChangeMap changedSince(SegmentedJournal j, Lsn after, WritableView w, PairState st) {
        ChangeMap map = new ChangeMap(w.size(), BLOCK, UUID.fromString(st.generation()));
        for (ByteRange r : j.changedSince(after)) {
            map.mark(r.offset(), r.length());
        }
        w.writtenBlocks().forEachRun((o, l) -> map.mark(o, l));
        return map;
    }

    private static void copyRuns(BlockDevice from, BlockDevice to, ChangeMap runs) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        runs.forEachRunChecked((offset, length) -> {
            long pos = offset;
            long end = Math.min(offset + length, from.size());
            while (pos < end) {
                int n = (int) Math.min(buf.capacity(), end - pos);
                buf.clear().limit(n);
                from.read(pos, buf);
                buf.flip();
                to.write(pos, buf, false);
                pos += n;
            }
        });
    }

    /**
     * Discards the committed disk served as {@code export} at {@code site} when the machine it belongs to is
     * deleted (the recovery-site machine removed after a failback's commit): it stops being served, its image
     * and change map are deleted, and its view is forgotten once none of its disks is left. Anything else
     * (an image the data plane only serves, an open view) is left alone. Returns whether it discarded a disk.
     */
    public synchronized boolean discard(String site, String export) throws IOException {
        for (ViewState v : List.copyOf(views.values())) {
            if (!v.committed() || !v.site().equals(site)) {
                continue;
            }
            for (ViewDiskState d : v.disks()) {
                if (!d.export().equals(export) || d.bound() || d.image() == null) {
                    continue;
                }
                site(site).agent().offline(export);
                BlockDevice dev = devices.remove(key(site, export));
                if (dev != null) {
                    dev.close();
                }
                Optional<RetainedReplica> keep = failedBackFrom(site, export);
                if (keep.isPresent()) {
                    Path to = Path.of(keep.get().image());
                    Files.createDirectories(to.getParent());
                    Files.move(Path.of(d.image()), to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    retained.add(keep.get());
                    LOG.info("disk {} at {} kept as {}: it shares its lineage with {} (failback {}), so protecting that disk toward {} again"
                            + " sends only what changed since", export, site, to, keep.get().forExport(), keep.get().failbackView(), site);
                } else {
                    Files.deleteIfExists(Path.of(d.image()));
                }
                Files.deleteIfExists(changesFile(v, d));
                List<ViewDiskState> left = v.disks().stream().filter(x -> x != d).toList();
                if (left.isEmpty()) {
                    views.remove(v.id());
                    FileTrees.delete(dir.resolve("sites").resolve(site).resolve("disks").resolve(v.id()));
                    FileTrees.delete(dir.resolve("sites").resolve(site).resolve("views").resolve(v.id()));
                } else {
                    views.put(v.id(), new ViewState(v.id(), v.pair(), v.point(), v.site(), left, true));
                }
                save();
                LOG.info("committed disk {} of view {} at {} discarded with its machine", export, v.id(), site);
                return true;
            }
        }
        return false;
    }

    /**
     * The replica to keep when the disk {@code export} at {@code site} is discarded: when a committed
     * failback took that disk as its source and kept a change map of where the failed-back disk differs
     * from it since (FB-20).
     */
    private Optional<RetainedReplica> failedBackFrom(String site, String export) {
        for (ViewState fb : views.values()) {
            PairState pair = pairs.get(fb.pair());
            if (!fb.committed() || fb.site().equals(site) || pair == null || !pair.spec().sourceSite().equals(site)) {
                continue;
            }
            for (ViewDiskState fd : fb.disks()) {
                boolean fromThis = pair.spec().disks().stream().anyMatch(x -> x.diskId().equals(fd.diskId()) && x.sourceExport().equals(export));
                if (fd.bound() && fromThis && Files.exists(changesFile(fb, fd)) && !pair.stoppedWithChanges()) {
                    Path image = dir.resolve("sites").resolve(site).resolve(RETAINED).resolve(fb.id()).resolve(fd.diskId() + ".img");
                    return Optional.of(new RetainedReplica(site, fd.export(), fd.diskId(), image.toString(), fb.id()));
                }
            }
        }
        return Optional.empty();
    }

    /** True when a disk of the pair's replica is based on a retained replica ({@link #failedBackFrom}). */
    private boolean onRetained(PairSpec spec) {
        Path kept = dir.resolve("sites").resolve(spec.targetSite()).resolve(RETAINED);
        return spec.disks().stream().anyMatch(d -> d.targetBase() != null && Path.of(d.targetBase()).startsWith(kept));
    }

    public synchronized Optional<View> view(String viewId) {
        return Optional.ofNullable(views.get(viewId)).map(this::view);
    }

    private View view(ViewState v) {
        SiteAgent agent = site(v.site()).agent();
        return new View(v.id(), v.pair(), v.point(), v.site(),
                v.disks().stream().map(d -> new ViewDisk(d.diskId(), d.export(), agent.uri(d.export()))).toList(), v.committed(),
                Optional.ofNullable(pairs.get(v.pair())).map(p -> p.spec().label()).orElse(""));
    }

    // ---- markers

    /** The pair's marker cadence; a zero (or negative) period takes no markers of that kind. */
    private void scheduleMarkers(PairState st) {
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        if (st.spec().crashEvery().isPositive()) {
            tasks.add(every(st.spec().crashEvery(), () -> mark(st.spec().id(), MarkerKind.CRASH, "")));
        }
        if (st.spec().appEvery().isPositive()) {
            tasks.add(every(st.spec().appEvery(), () -> mark(st.spec().id(), MarkerKind.APP, "app-consistent")));
        }
        Duration retention = st.spec().retention();
        if (retention != null && retention.isPositive()) {
            Duration period = retentionPeriod(retention);
            tasks.add(retainer.scheduleWithFixedDelay(() -> {
                try {
                    applyRetention(st.spec().id());
                } catch (Exception e) {
                    LOG.warn("retention of pair {} not applied; trying again in {} ms: {}", st.spec().id(), period.toMillis(), e.toString());
                }
            }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
        }
        markers.put(st.spec().id(), tasks);
    }

    private interface Task {
        void run() throws Exception;
    }

    private ScheduledFuture<?> every(Duration period, Task task) {
        long ms = Math.max(100, period.toMillis());
        return timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("marker not taken: {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void cancelMarkers(String pairId) {
        for (ScheduledFuture<?> f : markers.getOrDefault(pairId, List.of())) {
            f.cancel(false);
        }
        markers.remove(pairId);
    }

    // ---- retention

    /** How often retention runs for a window: a tenth of it, at least every minute, at most every 200 ms. */
    static Duration retentionPeriod(Duration retention) {
        long ms = Math.clamp(retention.toMillis() / 10, 200L, 60_000L);
        return Duration.ofMillis(ms);
    }

    private ReentrantLock pairLock(String pairId) {
        return pairLocks.computeIfAbsent(pairId, k -> new ReentrantLock());
    }

    /**
     * Applies a running pair's retention to each of its disks' journals now: records older than the newest
     * point at least {@code retention} old are folded into the base image and their segments deleted, but no
     * journal's base reaches the pair's newest point or a point a view of the pair is open at. Returns the
     * segments deleted; 0 when the pair is busy (a sync, a view opening or committing), stopped, without a
     * retention, or its replica is based on a disk whose sync has not finished.
     */
    int applyRetention(String pairId) throws IOException {
        ReentrantLock lock = pairLock(pairId);
        if (!lock.tryLock()) {
            return 0; // the pair is busy: the next run retains
        }
        try {
            PairState st;
            Map<String, Long> limits = new LinkedHashMap<>();
            synchronized (this) {
                st = pairs.get(pairId);
                if (st == null || !st.running() || st.spec().retention() == null || !st.spec().retention().isPositive()) {
                    return 0;
                }
                for (PairDisk d : st.spec().disks()) {
                    if (d.targetBase() != null && !st.syncedThrough().containsKey(d.diskId())) {
                        return 0;
                    }
                }
                List<Point> points = points(pairId);
                if (points.isEmpty()) {
                    return 0;
                }
                Point newest = points.getLast();
                for (PairDisk d : st.spec().disks()) {
                    limits.put(d.diskId(), newest.lsns().get(d.diskId()));
                }
                for (ViewState v : views.values()) {
                    if (v.pair().equals(pairId) && !v.committed()) {
                        for (ViewDiskState d : v.disks()) {
                            limits.merge(d.diskId(), d.lsn(), Math::min);
                        }
                    }
                }
            }
            RetentionPolicy policy = RetentionPolicy.window(st.spec().retention());
            int deleted = 0;
            for (PairDisk d : st.spec().disks()) {
                // Only the master target's own journal takes retention; one in a child process is left whole.
                Optional<SegmentedJournal> j = site(st.spec().targetSite()).masterTarget().writable(stream(st, d));
                if (j.isEmpty()) {
                    continue;
                }
                // the base stays below the kept points, so that each of them is still offered afterwards
                long limit = Math.max(0, limits.get(d.diskId()) - 1);
                Journal.RetentionReport report = j.get().applyRetention(policy, Lsn.of(limit));
                deleted += report.segmentsDeleted();
                if (report.segmentsDeleted() > 0 || !report.newBase().equals(report.oldBase())) {
                    LOG.debug("pair {} disk {}: retention moved the base from LSN {} to {}, {} segment(s) deleted", pairId, d.diskId(),
                            report.oldBase().value(), report.newBase().value(), report.segmentsDeleted());
                }
            }
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    // ---- internals

    private SitePlane site(String site) {
        SitePlane s = sites.get(site);
        if (s == null) {
            throw new BoomerangException(SiteError.SITE_NOT_FOUND, "the data plane has no site " + site,
                    "name one of " + sites.keySet() + " (the config's sites)");
        }
        return s;
    }

    /** The device behind an export, opened from {@code image} the first time. */
    private BlockDevice device(String site, String export, Path image) throws IOException {
        String key = key(site, export);
        BlockDevice d = devices.get(key);
        if (d != null) {
            return d;
        }
        if (image == null) {
            throw new BoomerangException(SiteError.DISK_NOT_FOUND, "site " + site + " has no disk " + export,
                    "power the machine on, or check that its disk exists");
        }
        d = RawFileBlockDevice.open(image, false);
        devices.put(key, d);
        return d;
    }

    private static String key(String site, String export) {
        return site + "/" + export;
    }

    static String stream(PairSpec spec, UUID generation, PairDisk d) {
        return spec.targetSite() + "." + spec.id().replaceAll("[^A-Za-z0-9_-]", "-") + "." + generation.toString().substring(0, 8) + "."
                + d.diskId();
    }

    private static String stream(PairState st, PairDisk d) {
        return stream(st.spec(), UUID.fromString(st.generation()), d);
    }

    private Path overlay(ViewState v, ViewDiskState d) {
        return dir.resolve("sites").resolve(v.site()).resolve("views").resolve(v.id()).resolve(d.diskId() + ".overlay");
    }

    private Path changesFile(ViewState v, ViewDiskState d) {
        return dir.resolve("sites").resolve(v.site()).resolve("views").resolve(v.id()).resolve(d.diskId() + ".changes");
    }

    private void save() throws IOException {
        State s = new State(List.copyOf(pairs.values()), List.copyOf(views.values()), List.copyOf(retained), Map.copyOf(jobEpochs));
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
        AtomicFile.write(dir.resolve(STATE_FILE), out -> out.write(bytes));
    }

    /** Reopens the saved pairs (their captures resume) and views (their overlays, or committed images). */
    private void recover() throws IOException {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return;
        }
        State s = JSON.readValue(file.toFile(), State.class);
        if (s.jobEpochs() != null) {
            jobEpochs.putAll(s.jobEpochs());
        }
        if (s.retained() != null) {
            retained.addAll(s.retained());
        }
        for (PairState p : s.pairs()) {
            pairs.put(p.spec().id(), p);
        }
        for (ViewState v : s.views()) {
            views.put(v.id(), v);
            for (ViewDiskState d : v.disks()) {
                if (!v.committed()) {
                    attach(v, d);
                } else if (d.image() != null) {
                    RawFileBlockDevice raw = RawFileBlockDevice.open(Path.of(d.image()), false);
                    Path mapFile = changesFile(v, d);
                    ChangeMap map;
                    try {
                        map = ChangeMap.readFrom(mapFile);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("view {} disk {}: change map unreadable ({}); a tracked reprotect will fall back to delta", v.id(), d.diskId(),
                                e.toString());
                        map = new ChangeMap(raw.size(), BLOCK, UUID.randomUUID());
                        mapFile = mapFile.resolveSibling(d.diskId() + ".changes-untrusted");
                    }
                    TrackingBlockDevice t = new TrackingBlockDevice(raw, map, mapFile);
                    devices.put(key(v.site(), d.export()), t);
                    if (!d.bound()) { // a failed-back disk is served with its machine's power
                        site(v.site()).agent().online(d.export(), t);
                    }
                }
            }
        }
        for (PairState p : s.pairs()) {
            if (p.running()) {
                SitePlane source = site(p.spec().sourceSite());
                for (PairDisk d : p.spec().disks()) {
                    String stream = stream(p, d);
                    BlockDevice dev = device(p.spec().sourceSite(), d.sourceExport(), d.sourceImage() == null ? null : Path.of(d.sourceImage()));
                    source.agent().protect(stream, d.sourceExport(), dev, source.captureState(stream), UUID.fromString(p.generation()),
                            d.targetBase() == null, capture, p.epoch());
                }
                if (!p.fenced()) {
                    scheduleMarkers(p);
                }
            }
        }
        LOG.info("data plane state reopened: {} pair(s), {} view(s)", pairs.size(), views.size());
    }


    @Override
    public void close() {
        retainer.shutdownNow();
        try {
            if (!retainer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a retention run did not end within 30 s; closing the journals under it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeRoles();
    }

    private synchronized void closeRoles() {
        timer.shutdownNow();
        for (SitePlane s : sites.values()) {
            s.closeSenders();
        }
        for (WritableView w : openViews.values()) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.error("closing a view failed: {}", e.toString());
            }
        }
        for (SiteMasterTarget.ReplicaJournal j : viewJournals.values()) {
            try {
                j.close();
            } catch (IOException e) {
                LOG.error("closing a view's journal failed: {}", e.toString());
            }
        }
        for (SitePlane s : sites.values()) {
            s.masterTarget().close();
        }
        for (BlockDevice d : devices.values()) {
            if (!(d instanceof WritableView)) {
                try {
                    d.close();
                } catch (IOException e) {
                    LOG.error("closing {} failed: {}", d, e.toString());
                }
            }
        }
        LOG.info("data plane stopped");
    }
}
