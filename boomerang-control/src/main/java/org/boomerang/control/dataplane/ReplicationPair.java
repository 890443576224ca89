package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * One direction of replication for one item: the source machine's disks stream to a replica at the
 * target site, through {@code processServer}. {@code target} is the machine whose disks receive a
 * failover or a reverse sync (the on-prem machine after reprotect), or the source itself when the
 * replica only lives in a journal (forward protection before any failover). {@code crashEvery} and
 * {@code appEvery} are the policy's cadence of crash- and application-consistent points.
 */
public record ReplicationPair(
        PairId id, MachineId source, SiteId sourceSite, MachineId target, SiteId targetSite, String processServer,
        Duration crashEvery, Duration appEvery) {
    public ReplicationPair {
        requireNonNull(id, "id is null");
        requireNonNull(source, "source is null");
        requireNonNull(sourceSite, "sourceSite is null");
        requireNonNull(target, "target is null");
        requireNonNull(targetSite, "targetSite is null");
        requireNonNull(processServer, "processServer is null");
        requireNonNull(crashEvery, "crashEvery is null");
        requireNonNull(appEvery, "appEvery is null");
    }
}
