package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.boomerang.control.failback.FailbackContext;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.ProcessServerProbe;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobState;
import org.boomerang.control.store.ItemStore;
import org.boomerang.control.store.JobStore;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachinePresence;
import org.boomerang.provider.SiteProvider;

/**
 * Gathers a {@link FailbackContext}: discovers both sites now, reads master targets, snapshots,
 * agents, the first sightings of the primary site's managers and the item's group members, and
 * probes the process servers of the item's two sites.
 */
final class FailbackContextLoader {
    private final InventoryService inventory;
    private final SiteProviders providers;
    private final ItemStore items;
    private final JobStore jobs;

    FailbackContextLoader(InventoryService inventory, SiteProviders providers, ItemStore items, JobStore jobs) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.items = requireNonNull(items, "items is null");
    }

    /**
     * The plans of the newest reprotect job of each other member of the item's group that is
     * reprotected now (reverse sync or reverse-protected) or being reprotected.
     */
    private Map<ItemId, ReprotectPlan> groupReprotects(ProtectedItem item) {
        if (item.group().isEmpty()) {
            return Map.of();
        }
        List<ItemId> reprotected = items.list().stream()
                .filter(i -> i.group().equals(item.group()) && !i.id().equals(item.id()))
                .filter(i -> i.state() == ItemState.REVERSE_SYNC || i.state() == ItemState.REVERSE_PROTECTED
                        || i.active().map(a -> a.operation() == Operation.REPROTECT).orElse(false))
                .map(ProtectedItem::id)
                .toList();
        if (reprotected.isEmpty()) {
            return Map.of();
        }
        Map<ItemId, ReprotectPlan> plans = new HashMap<>();
        Map<ItemId, Instant> newest = new HashMap<>();
        for (Job job : jobs.list()) {
            if (job.request() instanceof ItemJobRequest r && r.operation() == Operation.REPROTECT && r.reprotect().isPresent()
                    && reprotected.contains(r.item()) && job.state() != JobState.FAILED && job.state() != JobState.CANCELLED
                    && newest.getOrDefault(r.item(), Instant.MIN).isBefore(job.createdAt())) {
                newest.put(r.item(), job.createdAt());
                plans.put(r.item(), r.reprotect().get());
            }
        }
        return plans;
    }

    /** The context of a reprotect: both sites must answer. */
    FailbackContext load(ProtectedItem item) {
        return load(item, false);
    }

    /**
     * The context of a failback: a recovery site that cannot be reached is recorded, not thrown (FB-1
     * cannot be checked then; the failback job's first step stops unless the operator confirmed, FB-17).
     */
    FailbackContext loadForFailback(ProtectedItem item) {
        return load(item, true);
    }

    private FailbackContext load(ProtectedItem item, boolean recoveryMayBeUnreachable) {
        Inventory primary = inventory.refresh(item.primarySite());
        SiteProvider recovery = providers.of(item.recoverySite());
        Optional<Machine> recoveryMachine = Optional.empty();
        MachinePresence presence = MachinePresence.PRESENT;
        boolean recoveryReachable = true;
        if (item.recoveryMachine().isPresent()) {
            MachineId rm = item.recoveryMachine().get();
            try {
                presence = recovery.presence().presence(rm, item.recoveryResourceGroup());
                recoveryMachine = inventory.refresh(item.recoverySite()).machine(rm);
            } catch (org.boomerang.common.BoomerangException e) {
                if (!recoveryMayBeUnreachable) {
                    throw e;
                }
                recoveryReachable = false;
                presence = MachinePresence.PRESENT;
            }
        }
        List<MasterTarget> mts = new ArrayList<>(inventory.masterTargets());
        Map<MachineId, List<String>> snaps = new HashMap<>();
        SiteProvider primaryProvider = providers.of(item.primarySite());
        for (MasterTarget mt : mts) {
            if (mt.site().equals(item.primarySite())) {
                snaps.put(mt.machine(), primaryProvider.snapshots().list(mt.machine()));
            }
        }
        List<Agent> agents = new ArrayList<>();
        inventory.agent(item.primarySite(), item.machine()).ifPresent(agents::add);
        item.recoveryMachine().flatMap(m -> inventory.agent(item.recoverySite(), m)).ifPresent(agents::add);
        List<ProcessServer> pss = inventory.processServers();
        Set<String> unreachable = new HashSet<>();
        for (ProcessServer ps : pss) {
            boolean ours = ps.site().equals(item.primarySite()) || ps.site().equals(item.recoverySite());
            if (ours && !ProcessServerProbe.reachable(ps)) {
                unreachable.add(ps.id());
            }
        }
        return new FailbackContext(item, inventory.identity(), primary, recoveryMachine, presence, mts, snaps, agents,
                pss, unreachable, inventory.managersSeen(item.primarySite()), groupReprotects(item), recoveryReachable);
    }
}
