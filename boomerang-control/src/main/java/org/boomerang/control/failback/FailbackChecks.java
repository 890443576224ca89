package org.boomerang.control.failback;

import java.util.List;
import java.util.Optional;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.provider.Host;
import org.boomerang.provider.Machine;

/** Checks a failback (a failover out of REVERSE_PROTECTED): FB-1, 3, 11, 12, 13, 14, 22. FB-16 is checked by point selection. Stateless. */
public final class FailbackChecks {
    private FailbackChecks() {}

    /** FB-12 for a failover asked of an item that has not finished reprotection. */
    public static void reprotectionComplete(ProtectedItem item) {
        if (item.state() == ItemState.COMMITTED || item.state() == ItemState.REVERSE_SYNC) {
            throw FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE.refuse(
                    "item " + item.id() + " is " + item.state().label() + "; failback needs a completed reprotection",
                    item.state() == ItemState.COMMITTED
                            ? "reprotect it first ('boomerang items reprotect " + item.id() + "')"
                            : "wait for the reverse sync to finish (watch its job), then retry");
        }
        if (item.state() == ItemState.REVERSE_PROTECTED && item.health() != Health.OK) {
            throw FailbackRule.FB_12_REPROTECTION_NOT_COMPLETE.refuse(
                    "item " + item.id() + " is reverse-protected but its replication health is " + item.health()
                            + " (a resync pending, the RPO over the policy's threshold or a role unreachable)",
                    "see the item's conditions ('boomerang items show " + item.id() + "'); health is measured from replication "
                            + "every few seconds: retry once it is OK");
        }
    }

    public static void check(FailbackContext ctx) {
        ProtectedItem item = ctx.item();
        CommonChecks.controlServer(ctx);
        CommonChecks.notMigratedMovedOrDeleted(ctx);
        reprotectionComplete(item);
        MasterTarget mt = CommonChecks.masterTarget(ctx, Optional.empty());
        List<String> snaps = ctx.masterTargetSnapshots().getOrDefault(mt.machine(), List.of());
        if (!snaps.isEmpty()) {
            throw FailbackRule.FB_14_MASTER_TARGET_HAS_SNAPSHOTS.refuse(
                    "master target " + mt.machine() + " has snapshots " + snaps,
                    "delete the master target's snapshots, then retry");
        }
        Optional<Machine> onPrem = ctx.primary().machine(item.machine());
        Optional<Host> host = onPrem.flatMap(Machine::host).flatMap(ctx.primary()::host)
                .or(() -> ctx.primary().host(mt.host()));
        host.ifPresent(h -> CommonChecks.managerConnected(ctx, h));
    }
}
