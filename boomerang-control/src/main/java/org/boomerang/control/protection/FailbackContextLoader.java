package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.control.failback.FailbackContext;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachinePresence;
import org.boomerang.provider.SiteProvider;

/** Gathers a {@link FailbackContext}: discovers both sites now, reads master targets, snapshots and agents. */
final class FailbackContextLoader {
    private final InventoryService inventory;
    private final SiteProviders providers;

    FailbackContextLoader(InventoryService inventory, SiteProviders providers) {
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.providers = requireNonNull(providers, "providers is null");
    }

    FailbackContext load(ProtectedItem item) {
        Inventory primary = inventory.refresh(item.primarySite());
        SiteProvider recovery = providers.of(item.recoverySite());
        Optional<Machine> recoveryMachine = Optional.empty();
        MachinePresence presence = MachinePresence.PRESENT;
        if (item.recoveryMachine().isPresent()) {
            MachineId rm = item.recoveryMachine().get();
            presence = recovery.presence().presence(rm, item.recoveryResourceGroup());
            recoveryMachine = inventory.refresh(item.recoverySite()).machine(rm);
        }
        List<MasterTarget> mts = new ArrayList<>(inventory.masterTargets());
        Map<MachineId, List<String>> snaps = new HashMap<>();
        SiteProvider primaryProvider = providers.of(item.primarySite());
        for (MasterTarget mt : mts) {
            if (mt.site().equals(item.primarySite())) {
                snaps.put(mt.machine(), primaryProvider.snapshots().list(mt.machine()));
            }
        }
        Map<MachineId, Agent> agents = new HashMap<>();
        inventory.agent(item.machine()).ifPresent(a -> agents.put(a.machine(), a));
        item.recoveryMachine().flatMap(inventory::agent).ifPresent(a -> agents.put(a.machine(), a));
        return new FailbackContext(item, inventory.identity(), primary, recoveryMachine, presence, mts, snaps, agents,
                inventory.processServers());
    }
}
