package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A machine as its site provider sees it: kind, guest OS, disks, power, guest tools, snapshots,
 * the host it runs on (empty for a physical server), and its resource group (FB-1: a recovery-site
 * machine moved to another resource group can no longer fail back).
 */
public record Machine(
        MachineId id,
        String name,
        MachineKind kind,
        GuestOs os,
        List<MachineDisk> disks,
        PowerState power,
        GuestToolsState tools,
        List<String> snapshots,
        Optional<HostId> host,
        String resourceGroup) {
    public Machine {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(os, "os is null");
        disks = List.copyOf(disks);
        requireNonNull(power, "power is null");
        requireNonNull(tools, "tools is null");
        snapshots = List.copyOf(snapshots);
        requireNonNull(host, "host is null");
        requireNonNull(resourceGroup, "resourceGroup is null");
    }

    public Machine withPower(PowerState p) {
        return new Machine(id, name, kind, os, disks, p, tools, snapshots, host, resourceGroup);
    }

    public Machine withTools(GuestToolsState t) {
        return new Machine(id, name, kind, os, disks, power, t, snapshots, host, resourceGroup);
    }

    public Machine withSnapshots(List<String> s) {
        return new Machine(id, name, kind, os, disks, power, tools, s, host, resourceGroup);
    }

    public Machine withDisks(List<MachineDisk> d) {
        return new Machine(id, name, kind, os, d, power, tools, snapshots, host, resourceGroup);
    }

    public Machine withResourceGroup(String group) {
        return new Machine(id, name, kind, os, disks, power, tools, snapshots, host, group);
    }
}
