package org.boomerang.control.failback;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.ManagerSighting;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachinePresence;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.SiteId;

/**
 * Everything the rule checks look at, gathered fresh from the store and the site providers just
 * before a reprotect or failback: the checks themselves are pure functions of this record.
 *
 * @param primary the primary site's inventory as discovered now
 * @param recoveryMachine the item's machine at the recovery site, if the provider still has it
 * @param recoveryPresence moved/deleted detection for that machine (FB-1)
 * @param masterTargets master targets registered at the primary site
 * @param masterTargetSnapshots snapshots of each master target's machine (FB-14)
 * @param agents the registered agents of the machines that would become replication sources, by site and machine (FB-21)
 * @param processServers every registered process server
 * @param unreachableProcessServers the ids of the process servers that did not answer a connection just now (seed step 1.2)
 * @param managersSeen when this control server first saw each hypervisor manager of the primary site (FB-3)
 * @param groupReprotects how the other members of the item's replication group that are reprotected now (reverse sync
 *     or reverse-protected) were reprotected: their plans, by item (seed step 1.2: one process server and master target)
 * @param recoverySiteReachable false when a failback found the recovery site unreachable: {@code recoveryMachine} is then
 *     empty and {@code recoveryPresence} unknown (reported PRESENT); a reprotect never proceeds without that site
 */
public record FailbackContext(
        ProtectedItem item,
        ControlServerIdentity identity,
        Inventory primary,
        Optional<Machine> recoveryMachine,
        MachinePresence recoveryPresence,
        List<MasterTarget> masterTargets,
        Map<MachineId, List<String>> masterTargetSnapshots,
        List<Agent> agents,
        List<ProcessServer> processServers,
        Set<String> unreachableProcessServers,
        List<ManagerSighting> managersSeen,
        Map<ItemId, ReprotectPlan> groupReprotects,
        boolean recoverySiteReachable) {
    public FailbackContext {
        requireNonNull(item, "item is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(primary, "primary is null");
        requireNonNull(recoveryMachine, "recoveryMachine is null");
        requireNonNull(recoveryPresence, "recoveryPresence is null");
        masterTargets = List.copyOf(masterTargets);
        masterTargetSnapshots = Map.copyOf(masterTargetSnapshots);
        agents = List.copyOf(agents);
        processServers = List.copyOf(processServers);
        unreachableProcessServers = Set.copyOf(unreachableProcessServers);
        managersSeen = List.copyOf(managersSeen);
        groupReprotects = Map.copyOf(groupReprotects);
    }

    /** The agent of {@code machine} at {@code site}, if it has ever reported. */
    public Optional<Agent> agent(SiteId site, MachineId machine) {
        return agents.stream().filter(a -> a.site().equals(site) && a.machine().equals(machine)).findFirst();
    }

    /** When this control server first saw {@code manager} of the primary site; empty if it never did. */
    public Optional<Instant> managerFirstSeen(ManagerId manager) {
        return managersSeen.stream().filter(s -> s.manager().equals(manager)).map(ManagerSighting::firstSeenAt).findFirst();
    }
}
