package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A machine put into an estate by hand ({@link EstateEditor#addMachine}): a workload that already
 * runs at the site, not one created by a failover. {@code host} is empty for a physical server;
 * every disk is created on {@code datastore} (new and empty unless its spec names a backing).
 */
public record NewMachine(
        MachineId id,
        String name,
        MachineKind kind,
        GuestOs os,
        Optional<HostId> host,
        DatastoreId datastore,
        List<DiskSpec> disks,
        PowerState power,
        String resourceGroup,
        AgentSetup agent) {
    public NewMachine {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(os, "os is null");
        requireNonNull(host, "host is null");
        requireNonNull(datastore, "datastore is null");
        disks = List.copyOf(disks);
        requireNonNull(power, "power is null");
        requireNonNull(resourceGroup, "resourceGroup is null");
        requireNonNull(agent, "agent is null");
        if (kind == MachineKind.VM && host.isEmpty()) {
            throw new IllegalArgumentException("a virtual machine runs on a host: name one for " + id);
        }
    }
}
