package org.boomerang.control.dataplane;

import java.util.List;
import java.util.Optional;
import org.boomerang.common.SyncMode;
import org.boomerang.control.job.RequestId;

/**
 * The control server's only way into the data plane (agents, process servers, master targets,
 * journals, sync). The real implementation wires the data-plane roles; tests use a hand-written
 * fake. Nothing in the data plane depends on this interface.
 *
 * <p>Ids are records ({@link PairId}, {@link PointId}, {@link ViewId}, {@link RequestId}); their text forms
 * are read in one place each. Every mutating call carries a request id and is idempotent under it: a job step replayed after
 * a control-server restart passes the same id and gets the same outcome, never a second effect.
 * Failures are {@code BoomerangException}s (category EXTERNAL when a retry can help). Refusals carry
 * stable codes (all USER_ERROR): {@code PAIR_NOT_FOUND} for a view of a pair never started,
 * {@code POINT_NOT_FOUND} for a view at a point the pair's replica does not hold, {@code VIEW_NOT_FOUND}
 * for a commit of a view never opened, {@code PAIR_NOT_RUNNING} for a sync of a pair that is not
 * replicating.
 * {@code DataPlaneContract} (control's test jar) states all of this and runs against every
 * implementation.
 *
 * <p>Thread-safety: implementations must be safe for concurrent use by several jobs.
 */
public interface DataPlane {
    /** Starts (or, with the same request id, confirms) replication of a pair. */
    void startReplication(ReplicationPair pair, RequestId requestId);

    /** Stops replication of a pair; stopping a stopped or unknown pair succeeds. */
    void stopReplication(PairId pair, RequestId requestId);

    /**
     * The recovery points of a pair's replica, oldest first; empty when it has none yet. A point is only
     * offered after the pair's initial sync; a stopped pair keeps its points (its replica stays).
     */
    List<MachinePoint> points(PairId pair);

    /**
     * Exports a point-in-time view plus a writable overlay of the pair's replica at {@code point};
     * {@code POINT_NOT_FOUND} when the replica does not hold it. Replayed, it returns the same view.
     */
    FailoverView openFailoverView(PairId pair, PointId point, RequestId requestId);

    /** An open (or committed) view by its id; empty when there is none. */
    Optional<FailoverView> view(ViewId view);

    /** Closes a view and discards its overlay; closing a closed view succeeds, closing a committed one leaves it as it is. */
    void closeFailoverView(ViewId view, RequestId requestId);

    /** Makes a view's disks standalone (commit) and discards the rest of the journal. */
    void commitFailoverView(ViewId view, RequestId requestId);

    /**
     * The pair's replication as measured now (state, RPO, lag, newest points, unreachable roles).
     * An unknown or stopped pair is {@link ReplicationState#PAUSED}. Never mutates; cheap enough to
     * be called every few seconds for every pair.
     */
    PairHealth health(PairId pair);

    /**
     * Runs a resync of the pair's target from its source with {@code mode}, one that writes the target
     * ({@link SyncMode#writesTarget()}); {@code PAIR_NOT_RUNNING} when the pair is not replicating.
     */
    SyncOutcome sync(PairId pair, SyncMode mode, RequestId requestId);
}
