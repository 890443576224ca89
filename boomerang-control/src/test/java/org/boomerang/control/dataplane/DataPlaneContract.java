package org.boomerang.control.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.common.ErrorType;
import org.boomerang.common.SyncMode;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.RequestId;
import org.boomerang.control.protection.ItemId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DataPlane} does, run against each implementation (the control plane's test fake and
 * the embedded data plane behind its seam): idempotency under a replayed request id, stop/close that
 * succeed when there is nothing left to do, recovery points oldest first and only after the initial
 * sync, views found while open or committed and not once closed, the stable codes of refusals, and a
 * pair's health as far as it does not depend on timing (paused when not replicating, measured when it is).
 *
 * <p>A subclass gives a fresh data plane, a source machine with disks for each pair (forward protection:
 * the replica is a new journal at the target site), a way to let replication take markers, and whether its
 * views export disks ({@link ViewDisks}): that is a capability of the implementation, checked both ways,
 * never skipped.
 */
public abstract class DataPlaneContract {
    /** The code of a view asked at a point the pair's replica does not hold. */
    public static final String POINT_NOT_FOUND = "POINT_NOT_FOUND";
    /** The code of a view asked of a pair that was never started. */
    public static final String PAIR_NOT_FOUND = "PAIR_NOT_FOUND";
    /** The code of a commit of a view that was never opened. */
    public static final String VIEW_NOT_FOUND = "VIEW_NOT_FOUND";
    /** The code of a sync asked of a pair that is not replicating (never started, or stopped). */
    public static final String PAIR_NOT_RUNNING = "PAIR_NOT_RUNNING";

    /** What a failover view's {@link FailoverView#disks()} holds. */
    public enum ViewDisks {
        /** One disk per disk of the pair's source, each exported at an {@code nbd://} URI (the real data plane). */
        NBD_EXPORT_PER_DISK,
        /** None: the implementation exports nothing (a test fake); a view then carries no disks at all. */
        NONE
    }

    /** A pair to start and the ids of its source machine's disks. */
    public record ContractPair(ReplicationPair pair, List<DiskId> disks) {
        public PairId id() {
            return pair.id();
        }
    }

    protected DataPlane dataPlane;

    /** A data plane with no pairs and no views. */
    protected abstract DataPlane newDataPlane() throws Exception;

    /**
     * A pair {@code id} (the forward pair of an item of that name) of a new source machine (a different one on each call) with at least one disk,
     * replicated to another site where the machine does not exist, with a crash-consistent cadence short
     * enough for {@link #awaitPoints} (well under a second) but not shorter than 100 ms. The pair lists every
     * disk of the machine, and the machine has at least two.
     */
    protected abstract ContractPair newPair(String id) throws Exception;

    /**
     * Lets the replication of a started and synced pair run until its replica holds at least {@code count}
     * points (the real one waits for its cadence; a fake takes markers as its cadence would); returns
     * {@link DataPlane#points}.
     */
    protected abstract List<MachinePoint> awaitPoints(PairId pair, int count) throws Exception;

    /** Whether this implementation's views export their disks. */
    protected abstract ViewDisks viewDisks();

    /** Releases what {@link #newDataPlane} started. */
    protected void closeDataPlane() throws Exception {}

    @BeforeEach
    void openDataPlane() throws Exception {
        dataPlane = newDataPlane();
    }

    @AfterEach
    void releaseDataPlane() throws Exception {
        closeDataPlane();
    }

    /** Starts and syncs a new pair, and waits for its first point. */
    private ContractPair replicating(String id) throws Exception {
        ContractPair p = newPair(id);
        dataPlane.startReplication(p.pair(), req(id + "-start"));
        dataPlane.sync(pair(id), SyncMode.FULL, req(id + "-sync"));
        awaitPoints(pair(id), 1);
        return p;
    }

    /** The forward pair of an item named {@code item}. */
    protected static PairId pair(String item) {
        return PairId.forward(new ItemId(item));
    }

    /** A request id unique to {@code name} (the run of step 0 of a job of that name). */
    protected static RequestId req(String name) {
        return RequestId.of(new JobId(name), 0);
    }

    private static BoomerangException refusal(Runnable call) {
        BoomerangException e = catchThrowableOfType(BoomerangException.class, call::run);
        assertThat(e).as("the call is refused with a BoomerangException").isNotNull();
        return e;
    }

    @Test
    void startingAgainUnderTheSameRequestIdHasNoSecondEffect() throws Exception {
        ContractPair p = replicating("again");
        List<MachinePoint> before = dataPlane.points(pair("again"));

        dataPlane.startReplication(p.pair(), req("again-start"));
        dataPlane.startReplication(p.pair(), req("again-start-confirm"));
        assertThat(dataPlane.points(pair("again"))).as("a replayed start keeps the replica (a restarted one would have lost its points)")
                .containsAll(before);
        SyncOutcome replayed = dataPlane.sync(pair("again"), SyncMode.FULL, req("again-sync"));
        assertThat(replayed.mode()).isEqualTo(SyncMode.FULL);
        assertThat(dataPlane.points(pair("again"))).containsAll(before);
        assertThat(awaitPoints(pair("again"), before.size() + 1)).as("replication still runs after the replays").hasSizeGreaterThan(before.size());
    }

    @Test
    void openingAgainUnderTheSameRequestIdGivesTheSameView() throws Exception {
        replicating("reopen");
        MachinePoint point = dataPlane.points(pair("reopen")).getFirst();

        FailoverView first = dataPlane.openFailoverView(pair("reopen"), point.id(), req("reopen-open"));
        FailoverView replayed = dataPlane.openFailoverView(pair("reopen"), point.id(), req("reopen-open"));
        assertThat(replayed).as("the same view, not a second one").isEqualTo(first);
        assertThat(dataPlane.view(first.id())).contains(first);

        FailoverView other = dataPlane.openFailoverView(pair("reopen"), point.id(), req("reopen-open-2"));
        assertThat(other.id()).as("another request id is another view").isNotEqualTo(first.id());
        dataPlane.closeFailoverView(other.id(), req("reopen-close-2"));
        assertThat(dataPlane.view(first.id())).as("closing the other view leaves this one").contains(first);
    }

    @Test
    void stoppingAStoppedOrUnknownPairSucceeds() throws Exception {
        assertThatCode(() -> dataPlane.stopReplication(pair("never-started"), req("stop-unknown"))).doesNotThrowAnyException();

        replicating("stopped");
        List<MachinePoint> points = dataPlane.points(pair("stopped"));
        dataPlane.stopReplication(pair("stopped"), req("stopped-stop"));
        assertThatCode(() -> dataPlane.stopReplication(pair("stopped"), req("stopped-stop"))).as("replayed").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.stopReplication(pair("stopped"), req("stopped-stop-again"))).as("stopped again").doesNotThrowAnyException();
        assertThat(dataPlane.points(pair("stopped"))).as("a stopped pair's replica keeps its points for a failover").containsAll(points);
    }

    @Test
    void pointsAreOldestFirstAndOnlyAfterTheInitialSync() throws Exception {
        assertThat(dataPlane.points(pair("nothing"))).as("an unknown pair has no points").isEmpty();
        ContractPair p = newPair("points");
        Instant started = Instant.now();
        dataPlane.startReplication(p.pair(), req("points-start"));
        assertThat(dataPlane.points(pair("points"))).as("no point before the initial sync").isEmpty();

        dataPlane.sync(pair("points"), SyncMode.FULL, req("points-sync"));
        List<MachinePoint> points = awaitPoints(pair("points"), 3);
        assertThat(points).hasSizeGreaterThanOrEqualTo(3);
        assertThat(points).as("oldest first").isSortedAccordingTo(Comparator.comparing(MachinePoint::time));
        assertThat(points).extracting(MachinePoint::id).doesNotHaveDuplicates();
        assertThat(points).allSatisfy(pt -> {
            assertThat(pt.pair()).isEqualTo(pair("points"));
            assertThat(pt.time()).as("taken after replication started").isAfterOrEqualTo(started.minusMillis(1));
        });
        assertThat(dataPlane.points(pair("points"))).as("a later listing starts with the same points").startsWith(points.toArray(MachinePoint[]::new));
    }

    @Test
    void aViewOfAnUnknownPointIsRefusedWithAStableCode() throws Exception {
        replicating("unknown-point");

        BoomerangException e = refusal(() -> dataPlane.openFailoverView(pair("unknown-point"), new PointId("no-such-point"), req("unknown-point-open")));
        assertThat(e.code().name()).isEqualTo(POINT_NOT_FOUND);
        assertThat(e.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(e.hint()).as("the message says what to do next").isNotBlank();

        MachinePoint point = dataPlane.points(pair("unknown-point")).getFirst();
        FailoverView v = dataPlane.openFailoverView(pair("unknown-point"), point.id(), req("unknown-point-open"));
        assertThat(v.point()).as("the refused request id can still open a view at a real point").isEqualTo(point.id());
    }

    @Test
    void aViewOfAnUnknownPairAndACommitOfAnUnknownViewAreRefusedWithStableCodes() {
        BoomerangException pair = refusal(() -> dataPlane.openFailoverView(pair("never-started"), new PointId("any-point"), req("unknown-pair-open")));
        assertThat(pair.code().name()).isEqualTo(PAIR_NOT_FOUND);
        assertThat(pair.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(pair.hint()).isNotBlank();

        BoomerangException view = refusal(() -> dataPlane.commitFailoverView(new ViewId("never-opened"), req("unknown-view-commit")));
        assertThat(view.code().name()).isEqualTo(VIEW_NOT_FOUND);
        assertThat(view.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(view.hint()).isNotBlank();
    }

    @Test
    void closingAClosedViewSucceeds() throws Exception {
        replicating("close");
        FailoverView v = dataPlane.openFailoverView(pair("close"), dataPlane.points(pair("close")).getFirst().id(), req("close-open"));

        dataPlane.closeFailoverView(v.id(), req("close-close"));
        assertThat(dataPlane.view(v.id())).as("a closed view is gone").isEmpty();
        assertThatCode(() -> dataPlane.closeFailoverView(v.id(), req("close-close"))).as("replayed").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.closeFailoverView(v.id(), req("close-close-again"))).as("closed again").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.closeFailoverView(new ViewId("never-opened"), req("close-unknown"))).doesNotThrowAnyException();
        assertThat(dataPlane.view(v.id())).isEmpty();
    }

    @Test
    void commitThenCloseIsSafe() throws Exception {
        replicating("commit");
        FailoverView v = dataPlane.openFailoverView(pair("commit"), dataPlane.points(pair("commit")).getFirst().id(), req("commit-open"));

        dataPlane.commitFailoverView(v.id(), req("commit-commit"));
        assertThatCode(() -> dataPlane.commitFailoverView(v.id(), req("commit-commit"))).as("replayed").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.closeFailoverView(v.id(), req("commit-close"))).as("closing a committed view").doesNotThrowAnyException();
        assertThat(dataPlane.view(v.id())).as("a committed view is not discarded by a close: its disks are the machine's now").isPresent();
    }

    @Test
    void viewFindsAnOpenAndACommittedViewButNotAClosedOne() throws Exception {
        replicating("kept");
        replicating("discarded");
        FailoverView kept = dataPlane.openFailoverView(pair("kept"), dataPlane.points(pair("kept")).getFirst().id(), req("kept-open"));
        FailoverView discarded = dataPlane.openFailoverView(pair("discarded"), dataPlane.points(pair("discarded")).getFirst().id(), req("discarded-open"));

        assertThat(dataPlane.view(kept.id())).as("open").contains(kept);
        dataPlane.commitFailoverView(kept.id(), req("kept-commit"));
        Optional<FailoverView> committed = dataPlane.view(kept.id());
        assertThat(committed).as("committed").isPresent();
        assertThat(committed.get().pair()).isEqualTo(pair("kept"));
        assertThat(committed.get().point()).isEqualTo(kept.point());

        dataPlane.closeFailoverView(discarded.id(), req("discarded-close"));
        assertThat(dataPlane.view(discarded.id())).as("closed").isEmpty();
        assertThat(dataPlane.view(new ViewId("never-opened"))).isEmpty();
    }

    @Test
    void aSyncOfAPairThatIsNotReplicatingIsRefusedWithAStableCode() throws Exception {
        BoomerangException unknown = refusal(() -> dataPlane.sync(pair("never-started"), SyncMode.FULL, req("sync-unknown")));
        assertThat(unknown.code().name()).isEqualTo(PAIR_NOT_RUNNING);
        assertThat(unknown.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(unknown.hint()).isNotBlank();

        replicating("halted");
        dataPlane.stopReplication(pair("halted"), req("halted-stop"));
        BoomerangException stopped = refusal(() -> dataPlane.sync(pair("halted"), SyncMode.DELTA, req("halted-sync-2")));
        assertThat(stopped.code().name()).isEqualTo(PAIR_NOT_RUNNING);
    }

    @Test
    void healthIsPausedForAnUnknownOrStoppedPairAndMeasuredForAReplicatingOne() throws Exception {
        PairHealth unknown = dataPlane.health(pair("never-started"));
        assertThat(unknown.state()).isEqualTo(ReplicationState.PAUSED);
        assertThat(unknown.rpo()).isEmpty();

        replicating("health");
        PairHealth replicating = dataPlane.health(pair("health"));
        assertThat(replicating.pair()).isEqualTo(pair("health"));
        assertThat(replicating.state()).as("synced and replicating").isIn(ReplicationState.PROTECTED, ReplicationState.CATCHING_UP);
        assertThat(replicating.initialSyncProgress()).isEqualTo(1.0);
        assertThat(replicating.rpo()).as("measured once the initial copy is done").isPresent();
        assertThat(replicating.lastCrashPoint()).as("the newest crash-consistent point").isPresent();
        assertThat(replicating.unreachableRoles()).isEmpty();

        dataPlane.stopReplication(pair("health"), req("health-stop"));
        PairHealth stopped = dataPlane.health(pair("health"));
        assertThat(stopped.state()).isEqualTo(ReplicationState.PAUSED);
        assertThat(stopped.rpo()).isEmpty();
    }

    @Test
    void aViewCarriesItsPairPointMachineAndDisks() throws Exception {
        ContractPair p = replicating("disks");
        MachinePoint point = dataPlane.points(pair("disks")).getFirst();
        FailoverView v = dataPlane.openFailoverView(pair("disks"), point.id(), req("disks-open"));

        assertThat(v.pair()).isEqualTo(pair("disks"));
        assertThat(v.point()).isEqualTo(point.id());
        assertThat(v.machine()).as("the machine the replica belongs to").isEqualTo(p.pair().target());
        switch (viewDisks()) {
            case NBD_EXPORT_PER_DISK -> {
                assertThat(v.disks()).extracting(FailoverView.Disk::id).containsExactlyInAnyOrderElementsOf(p.disks());
                assertThat(v.disks()).allSatisfy(d -> {
                    assertThat(d.nbdUri().getScheme()).isEqualTo("nbd");
                    assertThat(d.nbdUri().getPort()).isPositive();
                });
                assertThat(v.disks()).extracting(FailoverView.Disk::nbdUri).doesNotHaveDuplicates();
            }
            case NONE -> assertThat(v.disks()).as("an implementation that exports nothing gives no disks").isEmpty();
        }
        assertThat(dataPlane.view(v.id()).orElseThrow().disks()).isEqualTo(v.disks());
    }

    @Test
    void aPairReplicatesTheDisksItListsAndNoOther() throws Exception {
        ContractPair all = newPair("some-disks");
        assertThat(all.disks()).as("the contract's machines have two disks or more").hasSizeGreaterThanOrEqualTo(2);
        ReplicationPair p = all.pair();
        DiskId first = all.disks().getFirst();
        ReplicationPair one = new ReplicationPair(p.id(), p.source(), p.sourceSite(), p.target(), p.targetSite(), List.of(first),
                p.processServer(), p.masterTarget(), p.policy(), p.group());
        dataPlane.startReplication(one, req("some-disks-start"));
        dataPlane.sync(one.id(), SyncMode.FULL, req("some-disks-sync"));
        MachinePoint point = awaitPoints(one.id(), 1).getFirst();
        FailoverView v = dataPlane.openFailoverView(one.id(), point.id(), req("some-disks-open"));
        switch (viewDisks()) {
            case NBD_EXPORT_PER_DISK -> assertThat(v.disks()).extracting(FailoverView.Disk::id).as("only the listed disk").containsExactly(first);
            case NONE -> assertThat(v.disks()).isEmpty();
        }
    }
}
