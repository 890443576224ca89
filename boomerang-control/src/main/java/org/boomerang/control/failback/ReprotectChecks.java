package org.boomerang.control.failback;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.SyncMode;
import org.boomerang.control.ControlError;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.provider.Datastore;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.Host;
import org.boomerang.provider.HypervisorManager;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;

/**
 * Checks a reprotect against the failback rules and decides how it runs. Reprotect after a
 * failover (COMMITTED → back to primary) is where most rules bite: FB-1, 2, 3, 4, 5, 6, 7, 8, 9,
 * 10, 11, 13, 21, 22, and the seed's step 1.2: a process server that exists, answers and stands at
 * the recovery site, a master target of the machine's OS family, and one process server and master
 * target for all members of a replication group. Reprotect after a failback commit (COMMITTED_BACK →
 * to the recovery site again) needs a chosen, reachable process server (FB-20) and a registered agent
 * (FB-21). Stateless.
 */
public final class ReprotectChecks {
    private ReprotectChecks() {}

    public static ReprotectPlan check(FailbackContext ctx, ReprotectRequest request) {
        ProtectedItem item = ctx.item();
        if (item.state() == ItemState.COMMITTED_BACK) {
            return towardsRecovery(ctx, request);
        }
        return towardsPrimary(ctx, request);
    }

    private static ReprotectPlan towardsRecovery(FailbackContext ctx, ReprotectRequest request) {
        ProtectedItem item = ctx.item();
        CommonChecks.controlServer(ctx);
        String ps = request.processServer().orElseThrow(() -> FailbackRule.FB_20_CHOOSE_PROCESS_SERVER.refuse(
                "reprotect of item " + item.id() + " to the recovery site needs a process server",
                "choose one with --process-server (list them with 'boomerang inventory process-servers')"));
        boolean known = ctx.processServers().stream().anyMatch(p -> p.id().equals(ps) && p.site().equals(item.primarySite()));
        if (!known) {
            throw FailbackRule.FB_20_CHOOSE_PROCESS_SERVER.refuse(
                    "process server " + ps + " is not registered at site " + item.primarySite(),
                    "choose a process server registered at the primary site, which ships the changes to the recovery site");
        }
        requireReachable(ctx, ps);
        CommonChecks.agentRegistered(ctx, item.machine(), false);
        return new ReprotectPlan(RecoveryLocation.ORIGINAL, Optional.empty(), Optional.empty(), Optional.empty(), ps, SyncMode.FULL);
    }

    /**
     * Seed step 1.2: the process server that ships the recovered machine's changes back is named
     * (or, when none is named, the first reachable one registered at the recovery site), exists, is
     * at the recovery site and answers now.
     */
    private static String reverseProcessServer(FailbackContext ctx, ReprotectRequest request) {
        ProtectedItem item = ctx.item();
        if (request.processServer().isEmpty()) {
            List<ProcessServer> here = ctx.processServers().stream().filter(p -> p.site().equals(item.recoverySite())).toList();
            if (here.isEmpty()) {
                throw FailbackRule.FB_20_CHOOSE_PROCESS_SERVER.refuse(
                        "no process server is registered at the recovery site " + item.recoverySite(),
                        "register one at site " + item.recoverySite() + " and choose it with --process-server");
            }
            return here.stream().map(ProcessServer::id).filter(id -> !ctx.unreachableProcessServers().contains(id)).findFirst()
                    .orElseGet(() -> requireReachable(ctx, here.getFirst().id()));
        }
        String ps = request.processServer().get();
        ProcessServer found = ctx.processServers().stream().filter(p -> p.id().equals(ps)).findFirst().orElseThrow(() ->
                new BoomerangException(ControlError.PROCESS_SERVER_NOT_FOUND,
                        "process server " + ps + " is not registered",
                        "list them with 'boomerang inventory process-servers' and choose one at the recovery site " + item.recoverySite()));
        if (!found.site().equals(item.recoverySite())) {
            throw new BoomerangException(ControlError.PROCESS_SERVER_AT_WRONG_SITE,
                    "process server " + ps + " is at site " + found.site() + "; reprotect of item " + item.id()
                            + " ships the recovered machine's changes from the recovery site " + item.recoverySite(),
                    "choose a process server registered at site " + item.recoverySite() + " with --process-server");
        }
        return requireReachable(ctx, ps);
    }

    private static String requireReachable(FailbackContext ctx, String ps) {
        if (ctx.unreachableProcessServers().contains(ps)) {
            String address = ctx.processServers().stream().filter(p -> p.id().equals(ps)).map(ProcessServer::address).findFirst().orElse("?");
            throw new BoomerangException(ControlError.PROCESS_SERVER_UNREACHABLE,
                    "process server " + ps + " at " + address + " did not answer",
                    "start it (or fix the network to it) and retry, or choose another process server with --process-server");
        }
        return ps;
    }

    /**
     * Seed step 1.2: a Windows machine needs a Windows master target, a Linux machine a Linux one.
     * When none is named, the first registered at the primary site with the machine's OS family.
     */
    private static Optional<MachineId> masterTargetFor(FailbackContext ctx, ReprotectRequest request) {
        ProtectedItem item = ctx.item();
        if (request.masterTarget().isPresent()) {
            MachineId wanted = request.masterTarget().get();
            ctx.primary().machine(wanted).ifPresent(m -> {
                if (m.os().family() != item.os().family()) {
                    throw new BoomerangException(ControlError.MASTER_TARGET_OS_MISMATCH,
                            "master target " + wanted + " runs " + m.os().family() + " but item " + item.id() + " is a "
                                    + item.os().family() + " machine; a Windows machine fails back through a Windows master target, "
                                    + "a Linux machine through a Linux one",
                            "choose a " + item.os().family() + " master target with --master-target, or deploy one at site " + item.primarySite());
                }
            });
            return Optional.of(wanted);
        }
        List<MasterTarget> here = ctx.masterTargets().stream().filter(m -> m.site().equals(item.primarySite())).toList();
        Optional<MasterTarget> matching = here.stream()
                .filter(m -> ctx.primary().machine(m.machine()).map(x -> x.os().family() == item.os().family()).orElse(false))
                .findFirst();
        if (matching.isEmpty() && !here.isEmpty() && here.stream().allMatch(m -> ctx.primary().machine(m.machine()).isPresent())) {
            throw new BoomerangException(ControlError.MASTER_TARGET_OS_MISMATCH,
                    "no " + item.os().family() + " master target is registered at site " + item.primarySite() + " for item " + item.id(),
                    "deploy a " + item.os().family() + " master target at site " + item.primarySite() + " and register it, then retry");
        }
        return matching.map(MasterTarget::machine);
    }

    /**
     * Seed step 1.2: the members of a replication group are reprotected together, through one process
     * server and one master target: a member reprotected after another must use the same ones.
     */
    private static void togetherWithGroup(FailbackContext ctx, String ps, MachineId mt) {
        ProtectedItem item = ctx.item();
        for (var other : ctx.groupReprotects().entrySet()) {
            ReprotectPlan plan = other.getValue();
            boolean samePs = plan.processServer().equals(ps);
            boolean sameMt = plan.masterTarget().map(mt::equals).orElse(true);
            if (!samePs || !sameMt) {
                String otherMt = plan.masterTarget().map(MachineId::value).orElse(mt.value());
                throw new BoomerangException(ControlError.GROUP_NOT_TOGETHER,
                        "item " + item.id() + " is in replication group " + item.group().orElseThrow() + " whose member " + other.getKey()
                                + " was reprotected through process server " + plan.processServer() + " and master target " + otherMt
                                + ", not " + ps + " and " + mt,
                        "reprotect the members of a group through one process server and master target: --process-server "
                                + plan.processServer() + " --master-target " + otherMt + " (a recovery plan reprotects them together)");
            }
        }
    }

    private static ReprotectPlan towardsPrimary(FailbackContext ctx, ReprotectRequest request) {
        ProtectedItem item = ctx.item();
        CommonChecks.controlServer(ctx);
        CommonChecks.notMigratedMovedOrDeleted(ctx);
        if (item.kind() == MachineKind.PHYSICAL && item.os().isWindowsServer2008R2Sp1()) {
            throw FailbackRule.FB_10_WINDOWS_2008_R2_SP1_PHYSICAL_NO_FAILBACK.refuse(
                    "item " + item.id() + " is a physical server running " + item.os().version() + ", which cannot fail back",
                    "keep it at the recovery site (commit), or rebuild it on-prem and protect it again");
        }
        MasterTarget mt = CommonChecks.masterTarget(ctx, masterTargetFor(ctx, request));
        Host host = ctx.primary().host(mt.host()).orElseThrow();
        if (host.type() != HypervisorType.VMWARE) {
            throw FailbackRule.FB_2_NO_FAILBACK_TO_HYPER_V.refuse(
                    "master target " + mt.machine() + " runs on " + host.type() + " host " + host.id()
                            + "; a failed-over machine fails back only to a VMware host",
                    "register a master target on a VMware host of the original vCenter and retry");
        }
        originalManager(ctx, host);
        CommonChecks.managerConnected(ctx, host);
        RecoveryLocation location = location(ctx, request);
        String ps = reverseProcessServer(ctx, request);
        togetherWithGroup(ctx, ps, mt.machine());
        item.recoveryMachine().ifPresent(m -> CommonChecks.agentRegistered(ctx, m, true));
        return switch (location) {
            case ORIGINAL -> {
                originalLocation(ctx, host);
                yield new ReprotectPlan(location, Optional.of(mt.machine()), Optional.of(host.id()), Optional.empty(), ps, SyncMode.TRACKED);
            }
            case ALTERNATE -> {
                DatastoreId ds = alternateLocation(ctx, request, host);
                yield new ReprotectPlan(location, Optional.of(mt.machine()), Optional.of(host.id()), Optional.of(ds), ps, SyncMode.FULL);
            }
        };
    }

    /**
     * The hypervisor-manager half of FB-3: the original vCenter, not one added after protection. An
     * item protected from a vCenter fails back only through a host of that vCenter; an item protected
     * without one (a physical server, a VM of a standalone host) never fails back into a vCenter this
     * control server first saw after the item was protected. When a manager was first seen is what
     * this control server recorded, not what the site's provider says.
     */
    private static void originalManager(FailbackContext ctx, Host host) {
        ProtectedItem item = ctx.item();
        if (item.manager().isPresent() && (host.manager().isEmpty() || !host.manager().get().equals(item.manager().get()))) {
            throw FailbackRule.FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY.refuse(
                    "item " + item.id() + " was protected from hypervisor manager " + item.manager().get()
                            + " but the master target's host " + host.id() + " is "
                            + host.manager().map(m -> "under manager " + m).orElse("standalone"),
                    "fail back through a master target on a host of the original vCenter " + item.manager().get());
        }
        if (host.manager().isEmpty()) {
            return;
        }
        HypervisorManager m = ctx.primary().manager(host.manager().get()).orElseThrow(() ->
                FailbackRule.FB_11_MASTER_TARGET_AND_HOSTS_NOT_DISCOVERED.refuse(
                        "hypervisor manager " + host.manager().get() + " is not discovered",
                        "add the original vCenter again with its old identity and refresh the inventory"));
        Instant firstSeen = ctx.managerFirstSeen(m.id()).orElse(Instant.MAX);
        if (firstSeen.isAfter(item.protectedAt())) {
            String seen = firstSeen.equals(Instant.MAX) ? "has never been seen by this control server" : "was first seen by this control server at " + firstSeen;
            throw FailbackRule.FB_3_ORIGINAL_MANAGER_AND_CONTROL_SERVER_ONLY.refuse(
                    "hypervisor manager " + m.id() + " " + seen + ", after item " + item.id() + " was protected at " + item.protectedAt()
                            + "; a vCenter added later cannot be the failback target",
                    item.manager().isPresent()
                            ? "fail back to the original vCenter as the control server knew it at protection time"
                            : "fail back through a master target on a host this control server knew when the item was protected "
                                    + "(a standalone host, or a vCenter seen before " + item.protectedAt() + ")");
        }
    }

    /** FB-4, FB-7, FB-9: original location when the on-prem machine exists; physical servers always alternate. */
    private static RecoveryLocation location(FailbackContext ctx, ReprotectRequest request) {
        ProtectedItem item = ctx.item();
        boolean exists = ctx.primary().machine(item.machine()).isPresent();
        if (item.kind() == MachineKind.PHYSICAL) {
            if (request.location().orElse(RecoveryLocation.ALTERNATE) == RecoveryLocation.ORIGINAL) {
                throw FailbackRule.FB_9_PHYSICAL_FAILS_BACK_AS_VM_ALR_ONLY.refuse(
                        "item " + item.id() + " is a physical server; it fails back only as a VMware VM (alternate location)",
                        "reprotect with --location alternate and a VMFS --datastore on the master target's host");
            }
            return RecoveryLocation.ALTERNATE;
        }
        RecoveryLocation wanted = request.location().orElse(exists ? RecoveryLocation.ORIGINAL : RecoveryLocation.ALTERNATE);
        if (wanted == RecoveryLocation.ORIGINAL && !exists) {
            throw FailbackRule.FB_4_OLR_NEEDS_ORIGINAL_MACHINE.refuse(
                    "the on-prem machine " + item.machine() + " of item " + item.id() + " no longer exists",
                    "reprotect with --location alternate and a VMFS --datastore: the machine is recreated with a full copy");
        }
        return wanted;
    }

    /** FB-5 and FB-6 for original location recovery. */
    private static void originalLocation(FailbackContext ctx, Host host) {
        ProtectedItem item = ctx.item();
        Machine onPrem = ctx.primary().machine(item.machine()).orElseThrow();
        if (host.standalone() && !host.discovered()) {
            throw FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE.refuse(
                    "standalone host " + host.id() + " was not discovered before reprotect",
                    "discover the host first, then retry");
        }
        for (MachineDisk disk : onPrem.disks()) {
            Datastore ds = ctx.primary().datastore(disk.datastore()).orElseThrow(() ->
                    FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE.refuse(
                            "datastore " + disk.datastore() + " of disk " + disk.id() + " is not discovered",
                            "refresh the inventory of site " + item.primarySite() + ", then retry"));
            if (!ds.reachableFrom(host.id())) {
                throw FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE.refuse(
                        "master target host " + host.id() + " cannot reach datastore " + ds.id() + " of disk " + disk.id(),
                        "give host " + host.id() + " access to datastore " + ds.id() + ", or use a master target on a host that has it");
            }
        }
        if (ctx.recoveryMachine().isEmpty()) {
            return;
        }
        for (MachineDisk replica : ctx.recoveryMachine().get().disks()) {
            Optional<MachineDisk> local = onPrem.disks().stream().filter(d -> d.id().equals(replica.id())).findFirst();
            Optional<Datastore> ds = local.flatMap(d -> ctx.primary().datastore(d.datastore()));
            boolean special = ds.map(d -> d.type().needsExistingAttachedDisks()).orElse(false);
            if (local.isEmpty() || (special && !local.get().attached())) {
                String where = ds.map(d -> d.type().name()).orElse("vSAN/RDM");
                throw FailbackRule.FB_6_OLR_VSAN_RDM_NEEDS_ATTACHED_DISKS.refuse(
                        "disk " + replica.id() + " is not " + (local.isEmpty() ? "present on" : "attached to")
                                + " on-prem machine " + onPrem.id() + " (" + where + ")",
                        "attach the existing " + where + " disk to the on-prem machine, or reprotect with --location alternate onto VMFS");
            }
        }
    }

    /** FB-7 and FB-8 for alternate location recovery; FB-5 for the chosen datastore's reach. */
    private static DatastoreId alternateLocation(FailbackContext ctx, ReprotectRequest request, Host host) {
        ProtectedItem item = ctx.item();
        DatastoreId id = request.datastore().orElseThrow(() -> FailbackRule.FB_7_ALR_NEEDS_DATASTORE.refuse(
                "alternate location recovery of item " + item.id() + " needs a datastore to recreate the machine on",
                "reprotect with --datastore naming a VMFS datastore that host " + host.id() + " can reach"));
        Datastore ds = ctx.primary().datastore(id).orElseThrow(() -> FailbackRule.FB_7_ALR_NEEDS_DATASTORE.refuse(
                "datastore " + id + " is not in the inventory of site " + item.primarySite(),
                "refresh the inventory or name an existing VMFS datastore"));
        if (!ds.type().canCreateDisks()) {
            throw FailbackRule.FB_8_ALR_ONLY_ON_VMFS.refuse(
                    "datastore " + id + " is " + ds.type() + "; alternate location recovery creates new disks, which only VMFS allows",
                    "choose a VMFS datastore for --datastore");
        }
        if (host.standalone() && !host.discovered()) {
            throw FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE.refuse(
                    "standalone host " + host.id() + " was not discovered before reprotect",
                    "discover the host first, then retry");
        }
        if (!ds.reachableFrom(host.id())) {
            throw FailbackRule.FB_5_MASTER_TARGET_CANNOT_REACH_DATASTORE.refuse(
                    "master target host " + host.id() + " cannot reach datastore " + id,
                    "choose a datastore the master target's host can reach");
        }
        return id;
    }
}
