package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

import org.boomerang.provider.MachineId;

/** A point-in-time view of a pair's replica plus a writable overlay, exported for {@code machine} to boot from. */
public record FailoverView(String id, String pair, String point, MachineId machine) {
    public FailoverView {
        requireNonNull(id, "id is null");
        requireNonNull(pair, "pair is null");
        requireNonNull(point, "point is null");
        requireNonNull(machine, "machine is null");
    }
}
