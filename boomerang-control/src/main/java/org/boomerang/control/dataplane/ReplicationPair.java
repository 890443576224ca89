package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.boomerang.common.DiskId;
import org.boomerang.control.protection.GroupId;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * One direction of replication for one item, with everything its roles need: the source machine's
 * {@code disks} stream to a replica at the target site through {@code processServer}, written by
 * {@code masterTarget} (the master target chosen at reprotect; empty: the target site's own), under
 * {@code policy} (retention, marker cadence, freeze commands); {@code group} is the item's
 * replication group, whose members take common points. {@code target} is the machine whose disks
 * receive a failover or a reverse sync (the on-prem machine after reprotect), or the source itself
 * when the replica only lives in a journal (forward protection before any failover).
 */
public record ReplicationPair(
        PairId id, MachineId source, SiteId sourceSite, MachineId target, SiteId targetSite, List<DiskId> disks, String processServer,
        Optional<MachineId> masterTarget, PairPolicy policy, Optional<GroupId> group) {
    public ReplicationPair {
        requireNonNull(id, "id is null");
        requireNonNull(source, "source is null");
        requireNonNull(sourceSite, "sourceSite is null");
        requireNonNull(target, "target is null");
        requireNonNull(targetSite, "targetSite is null");
        disks = List.copyOf(disks);
        if (disks.isEmpty()) {
            throw new IllegalArgumentException("pair " + id + " has no disks");
        }
        requireNonNull(processServer, "processServer is null");
        requireNonNull(masterTarget, "masterTarget is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(group, "group is null");
    }
}
