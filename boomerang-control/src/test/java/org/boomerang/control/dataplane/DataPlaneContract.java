package org.boomerang.control.dataplane;

import org.boomerang.common.SyncMode;

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
        public String id() {
            return pair.id();
        }
    }

    protected DataPlane dataPlane;

    /** A data plane with no pairs and no views. */
    protected abstract DataPlane newDataPlane() throws Exception;

    /**
     * A pair {@code id} of a new source machine (a different one on each call) with at least one disk,
     * replicated to another site where the machine does not exist, with a crash-consistent cadence short
     * enough for {@link #awaitPoints} (well under a second) but not shorter than 100 ms.
     */
    protected abstract ContractPair newPair(String id) throws Exception;

    /**
     * Lets the replication of a started and synced pair run until its replica holds at least {@code count}
     * points (the real one waits for its cadence; a fake takes markers as its cadence would); returns
     * {@link DataPlane#points}.
     */
    protected abstract List<MachinePoint> awaitPoints(String pair, int count) throws Exception;

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
        dataPlane.startReplication(p.pair(), id + "-start");
        dataPlane.sync(id, SyncMode.FULL, id + "-sync");
        awaitPoints(id, 1);
        return p;
    }

    private static BoomerangException refusal(Runnable call) {
        BoomerangException e = catchThrowableOfType(BoomerangException.class, call::run);
        assertThat(e).as("the call is refused with a BoomerangException").isNotNull();
        return e;
    }

    @Test
    void startingAgainUnderTheSameRequestIdHasNoSecondEffect() throws Exception {
        ContractPair p = replicating("again");
        List<MachinePoint> before = dataPlane.points("again");

        dataPlane.startReplication(p.pair(), "again-start");
        dataPlane.startReplication(p.pair(), "again-start-confirm");
        assertThat(dataPlane.points("again")).as("a replayed start keeps the replica (a restarted one would have lost its points)")
                .containsAll(before);
        SyncOutcome replayed = dataPlane.sync("again", SyncMode.FULL, "again-sync");
        assertThat(replayed.mode()).isEqualTo(SyncMode.FULL);
        assertThat(dataPlane.points("again")).containsAll(before);
        assertThat(awaitPoints("again", before.size() + 1)).as("replication still runs after the replays").hasSizeGreaterThan(before.size());
    }

    @Test
    void openingAgainUnderTheSameRequestIdGivesTheSameView() throws Exception {
        replicating("reopen");
        MachinePoint point = dataPlane.points("reopen").getFirst();

        FailoverView first = dataPlane.openFailoverView("reopen", point.id(), "reopen-open");
        FailoverView replayed = dataPlane.openFailoverView("reopen", point.id(), "reopen-open");
        assertThat(replayed).as("the same view, not a second one").isEqualTo(first);
        assertThat(dataPlane.view(first.id())).contains(first);

        FailoverView other = dataPlane.openFailoverView("reopen", point.id(), "reopen-open-2");
        assertThat(other.id()).as("another request id is another view").isNotEqualTo(first.id());
        dataPlane.closeFailoverView(other.id(), "reopen-close-2");
        assertThat(dataPlane.view(first.id())).as("closing the other view leaves this one").contains(first);
    }

    @Test
    void stoppingAStoppedOrUnknownPairSucceeds() throws Exception {
        assertThatCode(() -> dataPlane.stopReplication("never-started", "stop-unknown")).doesNotThrowAnyException();

        replicating("stopped");
        List<MachinePoint> points = dataPlane.points("stopped");
        dataPlane.stopReplication("stopped", "stopped-stop");
        assertThatCode(() -> dataPlane.stopReplication("stopped", "stopped-stop")).as("replayed").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.stopReplication("stopped", "stopped-stop-again")).as("stopped again").doesNotThrowAnyException();
        assertThat(dataPlane.points("stopped")).as("a stopped pair's replica keeps its points for a failover").containsAll(points);
    }

    @Test
    void pointsAreOldestFirstAndOnlyAfterTheInitialSync() throws Exception {
        assertThat(dataPlane.points("nothing")).as("an unknown pair has no points").isEmpty();
        ContractPair p = newPair("points");
        Instant started = Instant.now();
        dataPlane.startReplication(p.pair(), "points-start");
        assertThat(dataPlane.points("points")).as("no point before the initial sync").isEmpty();

        dataPlane.sync("points", SyncMode.FULL, "points-sync");
        List<MachinePoint> points = awaitPoints("points", 3);
        assertThat(points).hasSizeGreaterThanOrEqualTo(3);
        assertThat(points).as("oldest first").isSortedAccordingTo(Comparator.comparing(MachinePoint::time));
        assertThat(points).extracting(MachinePoint::id).doesNotHaveDuplicates();
        assertThat(points).allSatisfy(pt -> {
            assertThat(pt.pair()).isEqualTo("points");
            assertThat(pt.time()).as("taken after replication started").isAfterOrEqualTo(started.minusMillis(1));
        });
        assertThat(dataPlane.points("points")).as("a later listing starts with the same points").startsWith(points.toArray(MachinePoint[]::new));
    }

    @Test
    void aViewOfAnUnknownPointIsRefusedWithAStableCode() throws Exception {
        replicating("unknown-point");

        BoomerangException e = refusal(() -> dataPlane.openFailoverView("unknown-point", "no-such-point", "unknown-point-open"));
        assertThat(e.code().name()).isEqualTo(POINT_NOT_FOUND);
        assertThat(e.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(e.hint()).as("the message says what to do next").isNotBlank();

        MachinePoint point = dataPlane.points("unknown-point").getFirst();
        FailoverView v = dataPlane.openFailoverView("unknown-point", point.id(), "unknown-point-open");
        assertThat(v.point()).as("the refused request id can still open a view at a real point").isEqualTo(point.id());
    }

    @Test
    void aViewOfAnUnknownPairAndACommitOfAnUnknownViewAreRefusedWithStableCodes() {
        BoomerangException pair = refusal(() -> dataPlane.openFailoverView("never-started", "any-point", "unknown-pair-open"));
        assertThat(pair.code().name()).isEqualTo(PAIR_NOT_FOUND);
        assertThat(pair.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(pair.hint()).isNotBlank();

        BoomerangException view = refusal(() -> dataPlane.commitFailoverView("never-opened", "unknown-view-commit"));
        assertThat(view.code().name()).isEqualTo(VIEW_NOT_FOUND);
        assertThat(view.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(view.hint()).isNotBlank();
    }

    @Test
    void closingAClosedViewSucceeds() throws Exception {
        replicating("close");
        FailoverView v = dataPlane.openFailoverView("close", dataPlane.points("close").getFirst().id(), "close-open");

        dataPlane.closeFailoverView(v.id(), "close-close");
        assertThat(dataPlane.view(v.id())).as("a closed view is gone").isEmpty();
        assertThatCode(() -> dataPlane.closeFailoverView(v.id(), "close-close")).as("replayed").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.closeFailoverView(v.id(), "close-close-again")).as("closed again").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.closeFailoverView("never-opened", "close-unknown")).doesNotThrowAnyException();
        assertThat(dataPlane.view(v.id())).isEmpty();
    }

    @Test
    void commitThenCloseIsSafe() throws Exception {
        replicating("commit");
        FailoverView v = dataPlane.openFailoverView("commit", dataPlane.points("commit").getFirst().id(), "commit-open");

        dataPlane.commitFailoverView(v.id(), "commit-commit");
        assertThatCode(() -> dataPlane.commitFailoverView(v.id(), "commit-commit")).as("replayed").doesNotThrowAnyException();
        assertThatCode(() -> dataPlane.closeFailoverView(v.id(), "commit-close")).as("closing a committed view").doesNotThrowAnyException();
        assertThat(dataPlane.view(v.id())).as("a committed view is not discarded by a close: its disks are the machine's now").isPresent();
    }

    @Test
    void viewFindsAnOpenAndACommittedViewButNotAClosedOne() throws Exception {
        replicating("kept");
        replicating("discarded");
        FailoverView kept = dataPlane.openFailoverView("kept", dataPlane.points("kept").getFirst().id(), "kept-open");
        FailoverView discarded = dataPlane.openFailoverView("discarded", dataPlane.points("discarded").getFirst().id(), "discarded-open");

        assertThat(dataPlane.view(kept.id())).as("open").contains(kept);
        dataPlane.commitFailoverView(kept.id(), "kept-commit");
        Optional<FailoverView> committed = dataPlane.view(kept.id());
        assertThat(committed).as("committed").isPresent();
        assertThat(committed.get().pair()).isEqualTo("kept");
        assertThat(committed.get().point()).isEqualTo(kept.point());

        dataPlane.closeFailoverView(discarded.id(), "discarded-close");
        assertThat(dataPlane.view(discarded.id())).as("closed").isEmpty();
        assertThat(dataPlane.view("never-opened")).isEmpty();
    }

    @Test
    void aSyncOfAPairThatIsNotReplicatingIsRefusedWithAStableCode() throws Exception {
        BoomerangException unknown = refusal(() -> dataPlane.sync("never-started", SyncMode.FULL, "sync-unknown"));
        assertThat(unknown.code().name()).isEqualTo(PAIR_NOT_RUNNING);
        assertThat(unknown.type()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(unknown.hint()).isNotBlank();

        replicating("halted");
        dataPlane.stopReplication("halted", "halted-stop");
        BoomerangException stopped = refusal(() -> dataPlane.sync("halted", SyncMode.DELTA, "halted-sync-2"));
        assertThat(stopped.code().name()).isEqualTo(PAIR_NOT_RUNNING);
    }

    @Test
    void healthIsPausedForAnUnknownOrStoppedPairAndMeasuredForAReplicatingOne() throws Exception {
        PairHealth unknown = dataPlane.health("never-started");
        assertThat(unknown.state()).isEqualTo(ReplicationState.PAUSED);
        assertThat(unknown.rpo()).isEmpty();

        replicating("health");
        PairHealth replicating = dataPlane.health("health");
        assertThat(replicating.pair()).isEqualTo("health");
        assertThat(replicating.state()).as("synced and replicating").isIn(ReplicationState.PROTECTED, ReplicationState.CATCHING_UP);
        assertThat(replicating.initialSyncProgress()).isEqualTo(1.0);
        assertThat(replicating.rpo()).as("measured once the initial copy is done").isPresent();
        assertThat(replicating.lastCrashPoint()).as("the newest crash-consistent point").isPresent();
        assertThat(replicating.unreachableRoles()).isEmpty();

        dataPlane.stopReplication("health", "health-stop");
        PairHealth stopped = dataPlane.health("health");
        assertThat(stopped.state()).isEqualTo(ReplicationState.PAUSED);
        assertThat(stopped.rpo()).isEmpty();
    }

    @Test
    void aViewCarriesItsPairPointMachineAndDisks() throws Exception {
        ContractPair p = replicating("disks");
        MachinePoint point = dataPlane.points("disks").getFirst();
        FailoverView v = dataPlane.openFailoverView("disks", point.id(), "disks-open");

        assertThat(v.pair()).isEqualTo("disks");
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
}
