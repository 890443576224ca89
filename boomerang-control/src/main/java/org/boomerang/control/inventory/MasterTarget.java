package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import org.boomerang.provider.HostId;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/** A master target: a machine on {@code host} that writes the replica on the receiving side (FB-5, FB-11, FB-14). */
public record MasterTarget(MachineId machine, SiteId site, HostId host) {
    public MasterTarget {
        requireNonNull(machine, "machine is null");
        requireNonNull(site, "site is null");
        requireNonNull(host, "host is null");
    }
}
