package org.boomerang.control.failback;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachinePresence;

/**
 * Everything the rule checks look at, gathered fresh from the store and the site providers just
 * before a reprotect or failback: the checks themselves are pure functions of this record.
 *
 * @param primary the primary site's inventory as discovered now
 * @param recoveryMachine the item's machine at the recovery site, if the provider still has it
 * @param recoveryPresence moved/deleted detection for that machine (FB-1)
 * @param masterTargets master targets registered at the primary site
 * @param masterTargetSnapshots snapshots of each master target's machine (FB-14)
 * @param agents the registered agents of the machines that would become replication sources (FB-21)
 */
public record FailbackContext(
        ProtectedItem item,
        ControlServerIdentity identity,
        Inventory primary,
        Optional<Machine> recoveryMachine,
        MachinePresence recoveryPresence,
        List<MasterTarget> masterTargets,
        Map<MachineId, List<String>> masterTargetSnapshots,
        Map<MachineId, Agent> agents,
        List<ProcessServer> processServers) {
    public FailbackContext {
        requireNonNull(item, "item is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(primary, "primary is null");
        requireNonNull(recoveryMachine, "recoveryMachine is null");
        requireNonNull(recoveryPresence, "recoveryPresence is null");
        masterTargets = List.copyOf(masterTargets);
        masterTargetSnapshots = Map.copyOf(masterTargetSnapshots);
        agents = Map.copyOf(agents);
        processServers = List.copyOf(processServers);
    }
}
