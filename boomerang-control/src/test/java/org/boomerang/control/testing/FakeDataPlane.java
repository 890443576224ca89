package org.boomerang.control.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;
import org.boomerang.common.Lsn;
import org.boomerang.common.MarkerKind;
import org.boomerang.common.SyncMode;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.control.dataplane.ReplicationState;
import org.boomerang.control.dataplane.SyncOutcome;
import org.boomerang.control.dataplane.ViewId;
import org.boomerang.control.job.RequestId;

/**
 * A hand-written data plane. Keeps pairs, points, views and syncs in memory; every completed sync
 * adds a crash-consistent point to its pair (as replication would). Effects are counted per
 * request id so tests can prove a replayed step had no second effect. Can hold syncs at a latch,
 * or fail them. Thread-safe (synchronized).
 *
 * <p>It behaves as the embedded data plane does where {@code DataPlaneContract} looks (both run it): a
 * stopped pair keeps its points, a view is opened only of a pair it knows ({@code PAIR_NOT_FOUND}) at a
 * point the pair holds ({@code POINT_NOT_FOUND}), only an open or committed view can be committed
 * ({@code VIEW_NOT_FOUND}), a committed view stays findable and a close leaves it alone, a sync of a pair
 * that is not replicating is refused ({@code PAIR_NOT_RUNNING}). Unlike the real one it exports nothing: its views carry no disks.
 */
public final class FakeDataPlane implements DataPlane {
    /** The refusals of the fake, named as the real data plane's codes (the contract checks the names). */
    public enum Refusal implements ErrorCode {
        PAIR_NOT_FOUND,
        POINT_NOT_FOUND,
        PAIR_NOT_RUNNING,
        VIEW_NOT_FOUND;

        @Override
        public ErrorType type() {
            return ErrorType.USER_ERROR;
        }
    }

    private static final String RUNNING = "#running ";
    private static final String STOPPED = "#stopped ";
    private final Clock clock;
    private final Map<PairId, ReplicationPair> pairs = new LinkedHashMap<>();
    private final Map<PairId, List<MachinePoint>> points = new HashMap<>();
    private final Map<ViewId, FailoverView> views = new LinkedHashMap<>();
    private final Map<ViewId, FailoverView> committed = new LinkedHashMap<>();
    private final Set<PairId> running = new HashSet<>();
    private final Set<PairId> synced = new HashSet<>();
    private final Map<String, Integer> effects = new HashMap<>();
    private final List<Sync> syncs = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private volatile CountDownLatch syncGate;
    private volatile BoomerangException syncFailure;
    private volatile Runnable onSync = () -> {};
    private final Map<PairId, PairHealth> health = new HashMap<>();
    private java.nio.file.Path effectsFile;
    private long lsn;

    public FakeDataPlane(Clock clock) {
        this.clock = clock;
    }

    /** Adds a point to a pair's journal; returns it. */
    public synchronized MachinePoint addPoint(PairId pair, MarkerKind c, Optional<String> groupTag) {
        lsn++;
        MachinePoint p = new MachinePoint(new PointId("p" + lsn), pair, Lsn.of(lsn), clock.now(), c, groupTag);
        points.computeIfAbsent(pair, k -> new ArrayList<>()).add(p);
        return p;
    }

    public synchronized MachinePoint addPointAt(PairId pair, MarkerKind c, Optional<String> groupTag, Instant at) {
        lsn++;
        MachinePoint p = new MachinePoint(new PointId("p" + lsn), pair, Lsn.of(lsn), at, c, groupTag);
        points.computeIfAbsent(pair, k -> new ArrayList<>()).add(p);
        return p;
    }

    /**
     * A crash-consistent marker as the pair's cadence would take it: only while the pair replicates and
     * after its initial sync; empty otherwise.
     */
    public synchronized Optional<MachinePoint> takeMarker(PairId pair) {
        if (!running.contains(pair) || !synced.contains(pair)) {
            return Optional.empty();
        }
        return Optional.of(addPoint(pair, MarkerKind.CRASH, Optional.empty()));
    }

    public synchronized void clearPoints(PairId pair) {
        points.remove(pair);
    }

    /**
     * Makes {@link #health} report {@code h} for its pair (until {@link #measureNormally}); without
     * one, a running pair is PROTECTED with a measured RPO of zero and every role reachable, and a
     * stopped or unknown one is PAUSED.
     */
    public synchronized void reportHealth(PairHealth h) {
        health.put(h.pair(), h);
    }

    /** A measurement of {@code pair} in {@code state} with the given RPO and unreachable roles (points and lag as measured normally). */
    public synchronized PairHealth measurement(PairId pair, ReplicationState state, double progress, Optional<Duration> rpo,
            List<String> unreachable) {
        PairHealth normal = normalHealth(pair);
        return new PairHealth(pair, state, progress, rpo, normal.lagBytes(), normal.lastCrashPoint(), normal.lastAppPoint(), unreachable);
    }

    /** Drops a health set with {@link #reportHealth}. */
    public synchronized void measureNormally(PairId pair) {
        health.remove(pair);
    }

    /** Syncs wait at this gate until it is opened ({@code countDown}). */
    public void holdSyncs(CountDownLatch gate) {
        this.syncGate = gate;
    }

    /** Runs {@code hook} when a sync starts (before it waits at a gate). */
    public void onSync(Runnable hook) {
        this.onSync = hook;
    }

    /**
     * Makes effects durable in {@code file}, one request id per line, fsynced; loads the ones already
     * there. A data plane restarted on the same file therefore remembers what it did, as a real
     * one does through its request-id log. Which pairs replicate is kept next to it, in
     * {@code <file>.pairs} (lines {@code #running <pair>} / {@code #stopped <pair>}), as the real one keeps
     * its pairs across a restart.
     */
    public synchronized void recordEffectsTo(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.exists(file)) {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    effects.merge(line.split(" ", 2)[0], 1, Integer::sum);
                }
            }
            java.nio.file.Path pairsFile = pairsFile(file);
            if (java.nio.file.Files.exists(pairsFile)) {
                for (String line : java.nio.file.Files.readAllLines(pairsFile)) {
                    if (line.startsWith(RUNNING)) {
                        running.add(PairId.parse(line.substring(RUNNING.length())));
                    } else if (line.startsWith(STOPPED)) {
                        running.remove(PairId.parse(line.substring(STOPPED.length())));
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.effectsFile = file;
    }

    public void failSyncs(BoomerangException e) {
        this.syncFailure = e;
    }

    /** One sync the fake was asked for. */
    public record Sync(PairId pair, SyncMode mode) {}

    public synchronized List<Sync> syncs() {
        return List.copyOf(syncs);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The pairs started so far, stopped ones included (their replicas stay for failover). */
    public synchronized Map<PairId, ReplicationPair> pairs() {
        return Map.copyOf(pairs);
    }

    /** The views open now (neither closed nor committed). */
    public synchronized Map<ViewId, FailoverView> views() {
        return Map.copyOf(views);
    }

    /** How many times a mutating call with this request id had an effect (never more than 1 when idempotent). */
    public synchronized int effects(RequestId requestId) {
        return effects.getOrDefault(requestId.text(), 0);
    }

    public synchronized int totalEffects() {
        return effects.values().stream().mapToInt(Integer::intValue).sum();
    }

    private boolean firstTime(RequestId requestId) {
        String key = requestId.text();
        if (effects.containsKey(key)) {
            return false;
        }
        effects.put(key, 1);
        if (effectsFile != null) {
            append(effectsFile, key);
        }
        return true;
    }

    /** Marks a pair replicating or not, durably when effects are recorded. */
    private void replicating(PairId pair, boolean on) {
        if ((on ? running.add(pair) : running.remove(pair)) && effectsFile != null) {
            append(pairsFile(effectsFile), (on ? RUNNING : STOPPED) + pair.text());
        }
    }

    private static java.nio.file.Path pairsFile(java.nio.file.Path effects) {
        return effects.resolveSibling(effects.getFileName() + ".pairs");
    }

    private static void append(java.nio.file.Path file, String line) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void startReplication(ReplicationPair pair, RequestId requestId) {
        if (firstTime(requestId)) {
            calls.add("start " + pair.id() + " " + pair.source() + "->" + pair.target());
        }
        pairs.put(pair.id(), pair);
        replicating(pair.id(), true);
    }

    @Override
    public synchronized void stopReplication(PairId pair, RequestId requestId) {
        if (firstTime(requestId)) {
            calls.add("stop " + pair);
        }
        replicating(pair, false);
    }

    @Override
    public synchronized List<MachinePoint> points(PairId pair) {
        return List.copyOf(points.getOrDefault(pair, List.of()));
    }

    @Override
    public synchronized FailoverView openFailoverView(PairId pair, PointId point, RequestId requestId) {
        ViewId id = new ViewId("view-" + requestId.text());
        FailoverView existing = views.containsKey(id) ? views.get(id) : committed.get(id);
        if (existing != null) {
            return existing;
        }
        if (!pairs.containsKey(pair)) {
            throw new BoomerangException(Refusal.PAIR_NOT_FOUND, "pair " + pair + " has no replica", "protect the machine first");
        }
        if (points.getOrDefault(pair, List.of()).stream().noneMatch(p -> p.id().equals(point))) {
            throw new BoomerangException(Refusal.POINT_NOT_FOUND, "pair " + pair + " has no recovery point " + point,
                    "list the item's points and choose one");
        }
        if (firstTime(requestId)) {
            calls.add("open " + pair + " at " + point);
        }
        FailoverView v = new FailoverView(id, pair, point, pairs.containsKey(pair) ? pairs.get(pair).target() : new org.boomerang.provider.MachineId("none"), List.of());
        views.put(id, v);
        return v;
    }

    @Override
    public synchronized Optional<FailoverView> view(ViewId view) {
        return Optional.ofNullable(views.containsKey(view) ? views.get(view) : committed.get(view));
    }

    @Override
    public synchronized void closeFailoverView(ViewId view, RequestId requestId) {
        if (firstTime(requestId)) {
            calls.add("close " + view);
        }
        views.remove(view);
    }

    @Override
    public synchronized void commitFailoverView(ViewId view, RequestId requestId) {
        if (!views.containsKey(view) && !committed.containsKey(view)) {
            throw new BoomerangException(Refusal.VIEW_NOT_FOUND, "no failover view " + view, "fail over first");
        }
        if (firstTime(requestId)) {
            calls.add("commit " + view);
        }
        FailoverView v = views.remove(view);
        if (v != null) {
            committed.put(view, v);
        }
    }

    @Override
    public synchronized PairHealth health(PairId pair) {
        PairHealth set = health.get(pair);
        return set != null ? set : normalHealth(pair);
    }

    private PairHealth normalHealth(PairId pair) {
        List<MachinePoint> ps = points.getOrDefault(pair, List.of());
        Optional<Instant> crash = ps.stream().filter(p -> p.consistency() == MarkerKind.CRASH).map(MachinePoint::time).max(Instant::compareTo);
        Optional<Instant> app = ps.stream().filter(p -> p.consistency() == MarkerKind.APP).map(MachinePoint::time).max(Instant::compareTo);
        boolean replicating = running.contains(pair);
        return new PairHealth(pair, replicating ? ReplicationState.PROTECTED : ReplicationState.PAUSED, replicating ? 1 : 0,
                replicating ? Optional.of(Duration.ZERO) : Optional.empty(), 0, crash, app, List.of());
    }

    @Override
    public SyncOutcome sync(PairId pair, SyncMode mode, RequestId requestId) {
        synchronized (this) {
            if (!running.contains(pair)) {
                throw new BoomerangException(Refusal.PAIR_NOT_RUNNING, "pair " + pair + " is not replicating",
                        "start its replication (enable protection or reprotect) first");
            }
        }
        onSync.run();
        CountDownLatch gate = syncGate;
        if (gate != null) {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new BoomerangException(ControlError.STEP_FAILED, "sync gate never opened", "");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoomerangException(ControlError.STEP_FAILED, "interrupted", "");
            }
        }
        BoomerangException failure = syncFailure;
        if (failure != null) {
            throw failure;
        }
        synchronized (this) {
            if (firstTime(requestId)) {
                syncs.add(new Sync(pair, mode));
                calls.add("sync " + pair + " " + mode);
                synced.add(pair);
                addPoint(pair, MarkerKind.CRASH, Optional.empty());
            }
        }
        return new SyncOutcome(mode, 1 << 20, 1 << 16, 16, Duration.ofMillis(5), "");
    }
}
