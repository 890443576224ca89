package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What to create: alternate-location recovery recreates a machine on a host, with new disks on one
 * datastore (FB-7). {@code disks} gives one new disk per entry.
 */
public record MachineSpec(
        String name, MachineKind kind, GuestOs os, HostId host, DatastoreId datastore, List<DiskSpec> disks) {
    public MachineSpec {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(os, "os is null");
        requireNonNull(host, "host is null");
        requireNonNull(datastore, "datastore is null");
        disks = List.copyOf(disks);
    }
}
