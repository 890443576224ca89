package org.boomerang.server.wiring;

import java.util.List;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.RecoveryPoint;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.control.dataplane.SyncOutcome;
import org.boomerang.control.dataplane.SyncRequest;

/**
 * The data plane of {@code boomerang server} until the agent, process server and master target
 * are wired to it: nothing is replicated, so there are no recovery points, and every change fails
 * with {@link WiringError#DATA_PLANE_NOT_WIRED}. Stateless and thread-safe.
 */
public final class UnwiredDataPlane implements DataPlane {
    @Override
    public void startReplication(ReplicationPair pair, String requestId) {
        throw notWired("start replication of " + pair.id());
    }

    @Override
    public void stopReplication(String pair, String requestId) {
        // Stopping what never started succeeds (idempotent, as the SPI asks).
    }

    @Override
    public List<RecoveryPoint> points(String pair) {
        return List.of();
    }

    @Override
    public FailoverView openFailoverView(String pair, String point, String requestId) {
        throw notWired("open a failover view of " + pair);
    }

    @Override
    public void closeFailoverView(String view, String requestId) {
        // Closing a view that does not exist succeeds.
    }

    @Override
    public void commitFailoverView(String view, String requestId) {
        throw notWired("commit failover view " + view);
    }

    @Override
    public SyncOutcome sync(SyncRequest request, String requestId) {
        throw notWired("sync " + request);
    }

    private static BoomerangException notWired(String what) {
        return new BoomerangException(WiringError.DATA_PLANE_NOT_WIRED, "cannot " + what + ": the data plane is not wired to this control server",
                "the data-plane roles are wired by a later issue; this server manages inventory, plans, tokens and jobs only");
    }
}
