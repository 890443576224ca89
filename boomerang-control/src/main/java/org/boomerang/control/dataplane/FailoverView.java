package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.boomerang.common.DiskId;
import org.boomerang.provider.MachineId;

/**
 * A point-in-time view of a pair's replica plus a writable overlay, exported for {@code machine} to boot
 * from: {@code disks} gives each disk's NBD export, which the machine created at the recovery site is
 * attached to (empty from a data plane that exports nothing, e.g. a test fake).
 */
public record FailoverView(ViewId id, PairId pair, PointId point, MachineId machine, List<Disk> disks) {
    /** One exported disk of the view. */
    public record Disk(DiskId id, URI nbdUri) {
        public Disk {
            requireNonNull(id, "id is null");
            requireNonNull(nbdUri, "nbdUri is null");
        }
    }

    public FailoverView {
        requireNonNull(id, "id is null");
        requireNonNull(pair, "pair is null");
        requireNonNull(point, "point is null");
        requireNonNull(machine, "machine is null");
        disks = List.copyOf(disks);
    }
}
