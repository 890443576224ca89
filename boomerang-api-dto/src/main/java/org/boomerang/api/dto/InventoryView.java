package org.boomerang.api.dto;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One discovery of a site: hypervisor managers, hosts, datastores and machines. */
public record InventoryView(String site, List<Manager> managers, List<Host> hosts, List<Datastore> datastores, List<Machine> machines) {
    /** A hypervisor manager (vCenter): {@code connection} is CONNECTED or DISCONNECTED (FB-22). */
    public record Manager(String id, String address, HypervisorTypeView type, ConnectionView connection, Instant addedAt) {}

    /** A host; {@code manager} is null for a standalone host. */
    public record Host(String id, String name, HypervisorTypeView type, @Nullable String manager, boolean discovered) {}

    /** A datastore: {@code type} is VMFS, VSAN, RDM or NFS. */
    public record Datastore(String id, String name, DatastoreTypeView type, List<String> reachableFrom) {}

    /**
     * A machine with its disks; {@code host} is null for a physical server, {@code bootedAt} while it
     * is off. {@code agentRegistered} is true once its agent has reported since that boot (FB-21).
     */
    public record Machine(String id, String name, MachineKindView kind, OsFamilyView osFamily, String osVersion, PowerView power,
                          GuestToolsView tools,
                          List<String> snapshots, @Nullable String host, String resourceGroup, List<Disk> disks, @Nullable Instant bootedAt,
                          boolean agentInstalled, boolean agentRegistered) {}

    /**
     * One disk of a machine: {@code image} is the path of its image file, or {@code nbdUri} the NBD
     * export that holds it (a failover view; also the agent's export of a running machine's disk).
     */
    public record Disk(String id, String datastore, long sizeBytes, boolean attached, @Nullable String image, @Nullable String nbdUri) {}
}
