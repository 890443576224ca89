package org.boomerang.control.failback;

import java.util.Optional;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.Host;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachinePresence;

/** The rules that guard both reprotect and failback: FB-1, FB-3 (control server), FB-11, FB-13, FB-21, FB-22. Stateless. */
final class CommonChecks {
    private CommonChecks() {}

    /** FB-13 and the control-server half of FB-3. */
    static void controlServer(FailbackContext ctx) {
        ProtectedItem item = ctx.item();
        if (!ctx.identity().site().equals(item.primarySite())) {
            throw FailbackRule.FB_13_CONTROL_SERVER_OR_MACHINE_MISSING.refuse(
                    "this control server stands at site " + ctx.identity().site() + ", not at the primary site "
                            + item.primarySite() + " of item " + item.id(),
                    "run failback from the control server at the primary site; if it was lost, restore its database "
                            + "from backup ('boomerang server restore') on a server with the same address");
        }
        if (!ctx.identity().id().equals(item.controlServer())) {
            throw FailbackRule.FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY.refuse(
                    "item " + item.id() + " was protected by control server " + item.controlServer()
                            + ", this is " + ctx.identity().id(),
                    "fail back from the original control server, or restore its database backup "
                            + "('boomerang server restore'); a new control server cannot be the target");
        }
    }

    /** FB-1: migration completed, or the recovery-site machine moved or deleted. */
    static void notMigratedMovedOrDeleted(FailbackContext ctx) {
        ProtectedItem item = ctx.item();
        if (item.migrationCompleted()) {
            throw FailbackRule.FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED.refuse(
                    "migration of item " + item.id() + " was completed",
                    "a migrated machine stays at the recovery site; protect it again as a new item to move it back");
        }
        if (ctx.recoveryPresence() == MachinePresence.MOVED) {
            throw FailbackRule.FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED.refuse(
                    "the recovery-site machine of item " + item.id() + " was moved out of resource group "
                            + item.recoveryResourceGroup(),
                    "move it back to resource group " + item.recoveryResourceGroup() + ", then retry");
        }
        if (ctx.recoveryPresence() == MachinePresence.DELETED) {
            throw FailbackRule.FB_1_MACHINE_MIGRATED_MOVED_OR_DELETED.refuse(
                    "the recovery-site machine of item " + item.id() + " was deleted",
                    "there is nothing left to fail back; protect the machine again as a new item");
        }
    }

    /** FB-11: a master target at the primary site, on a discovered host. */
    static MasterTarget masterTarget(FailbackContext ctx, Optional<MachineId> wanted) {
        ProtectedItem item = ctx.item();
        Optional<MasterTarget> mt = ctx.masterTargets().stream()
                .filter(m -> m.site().equals(item.primarySite()))
                .filter(m -> wanted.map(w -> w.equals(m.machine())).orElse(true))
                .findFirst();
        if (mt.isEmpty()) {
            throw FailbackRule.FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED.refuse(
                    wanted.map(w -> "master target " + w + " is not registered at site " + item.primarySite())
                            .orElse("no master target server is registered at site " + item.primarySite()),
                    "deploy a master target at the primary site and register it, then retry");
        }
        Optional<Host> host = ctx.primary().host(mt.get().host());
        if (host.isEmpty() || (!host.get().discovered() && !host.get().standalone())) {
            throw FailbackRule.FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED.refuse(
                    "host " + mt.get().host() + " of master target " + mt.get().machine() + " has not been discovered",
                    "discover the host (add its hypervisor manager, or the standalone host) and refresh the inventory, then retry");
        }
        return mt.get();
    }

    /** FB-22: the host's hypervisor manager, if it has one, is connected. Returns the manager. */
    static Optional<HypervisorManager> managerConnected(FailbackContext ctx, Host host) {
        if (host.manager().isEmpty()) {
            return Optional.empty();
        }
        HypervisorManager m = ctx.primary().manager(host.manager().get()).orElseThrow(() ->
                FailbackRule.FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED.refuse(
                        "hypervisor manager " + host.manager().get() + " of host " + host.id() + " is not discovered",
                        "add the hypervisor manager and refresh the inventory, then retry"));
        if (m.connection() != ConnectionState.CONNECTED) {
            throw FailbackRule.FB_22_MANAGER_NOT_CONNECTED.refuse(
                    "hypervisor manager " + m.id() + " (" + m.address() + ") is disconnected",
                    "reconnect the vCenter (check its address and credentials), refresh the inventory, then retry; "
                            + "without it disks cannot be detached and attached");
        }
        return Optional.of(m);
    }

    /**
     * FB-21: the agent of a machine that will become a replication source has registered — that is,
     * has reported since the machine last booted, either to the control server (a heartbeat at or
     * after the boot) or as its site sees it. A heartbeat from before the boot does not count: the
     * agent of a rebooted machine must report again. A machine its site cannot show booted falls
     * back to any heartbeat.
     */
    static void agentRegistered(FailbackContext ctx, MachineId machine, boolean atRecoverySite) {
        // A recovered machine may carry the same id as the primary one (both named after the item): look at the right site.
        Optional<Machine> seen = atRecoverySite ? ctx.recoveryMachine().filter(m -> m.id().equals(machine)) : ctx.primary().machine(machine);
        Optional<java.time.Instant> booted = seen.flatMap(Machine::bootedAt);
        Optional<Agent> heartbeat = ctx.agent(atRecoverySite ? ctx.item().recoverySite() : ctx.item().primarySite(), machine);
        boolean registered = booted.isPresent()
                ? seen.get().agentRegisteredSinceBoot() || heartbeat.map(a -> !a.lastHeartbeat().isBefore(booted.get())).orElse(false)
                : heartbeat.isPresent();
        if (!registered) {
            throw FailbackRule.FB_21_AGENT_NOT_REGISTERED.refuse(
                    "the agent of machine " + machine + " is not installed/registered"
                            + booted.map(b -> " (it has not reported since the machine booted at " + b + ")").orElse(""),
                    "after a machine boots its agent can take up to 15 minutes to register; retry reprotect then");
        }
    }
}
