package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A machine as its site provider sees it: kind, guest OS, disks, power, guest tools, snapshots,
 * the host it runs on (empty for a physical server), its resource group (FB-1: a recovery-site
 * machine moved to another resource group can no longer fail back), when it last booted (empty
 * while it is off) and its agent (FB-21: registered only once it has reported since that boot).
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
        String resourceGroup,
        Optional<Instant> bootedAt,
        AgentPresence agent) {
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
        requireNonNull(bootedAt, "bootedAt is null");
        requireNonNull(agent, "agent is null");
    }

    /**
     * FB-21: the agent counts as registered only after it has reported since the machine last
     * booted; a machine that is off has no running agent.
     */
    public boolean agentRegisteredSinceBoot() {
        return power == PowerState.ON && bootedAt.map(agent::reportedSince).orElse(false);
    }

    public Optional<MachineDisk> disk(org.boomerang.common.DiskId disk) {
        return disks.stream().filter(d -> d.id().equals(disk)).findFirst();
    }

    public Machine withPower(PowerState p) {
        return new Machine(id, name, kind, os, disks, p, tools, snapshots, host, resourceGroup, bootedAt, agent);
    }

    /** Powered on now: {@code at} is the boot time. */
    public Machine booted(Instant at) {
        return new Machine(id, name, kind, os, disks, PowerState.ON, tools, snapshots, host, resourceGroup, Optional.of(at), agent);
    }

    /** Powered off: no boot time. */
    public Machine shutDown() {
        return new Machine(id, name, kind, os, disks, PowerState.OFF, tools, snapshots, host, resourceGroup, Optional.empty(), agent);
    }

    public Machine withTools(GuestToolsState t) {
        return new Machine(id, name, kind, os, disks, power, t, snapshots, host, resourceGroup, bootedAt, agent);
    }

    public Machine withSnapshots(List<String> s) {
        return new Machine(id, name, kind, os, disks, power, tools, s, host, resourceGroup, bootedAt, agent);
    }

    public Machine withDisks(List<MachineDisk> d) {
        return new Machine(id, name, kind, os, d, power, tools, snapshots, host, resourceGroup, bootedAt, agent);
    }

    public Machine withResourceGroup(String group) {
        return new Machine(id, name, kind, os, disks, power, tools, snapshots, host, group, bootedAt, agent);
    }

    public Machine withAgent(AgentPresence a) {
        return new Machine(id, name, kind, os, disks, power, tools, snapshots, host, resourceGroup, bootedAt, a);
    }
}
