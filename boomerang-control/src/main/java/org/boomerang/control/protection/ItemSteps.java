package org.boomerang.control.protection;


import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.NamedStep;
import org.boomerang.control.job.Step;
import org.boomerang.control.store.ItemStore;

/**
 * The steps of each item operation. Every step re-reads the item, is idempotent under its request
 * id, and names its compensation. The steps themselves are in {@link ProtectSteps} and
 * {@link FailoverSteps}.
 */
final class ItemSteps {
    private final ItemAccess access;
    private final ProtectSteps protect;
    private final FailoverSteps failover;

    ItemSteps(ItemStore items, SiteProviders providers, DataPlane dataPlane, FencingGuard guard,
            java.util.function.Function<PolicyId, Optional<ReplicationPolicy>> policies) {
        this.access = new ItemAccess(items, providers, dataPlane, guard, policies);
        this.protect = new ProtectSteps(access);
        this.failover = new FailoverSteps(access);
    }

    List<Step> steps(ItemJobRequest r) {
        return switch (r.operation()) {
            case ENABLE -> protect.protectForward(r);
            case REPROTECT -> r.from() == ItemState.COMMITTED_BACK ? protect.protectForward(r) : protect.reprotectToPrimary(r);
            case DISABLE -> List.of(NamedStep.of("stop replication", ctx -> {
                access.dataPlane.stopReplication(PairId.forward(r.item()), ctx.requestId());
                access.update(r.item(), b -> b.pair(Optional.empty()));
            }));
            case TEST_FAILOVER -> protect.testFailover(r);
            case CLEANUP_TEST_FAILOVER -> protect.cleanupTest(r);
            case PLANNED_FAILOVER, UNPLANNED_FAILOVER -> r.from() == ItemState.REVERSE_PROTECTED ? failover.failback(r) : failover.failover(r);
            case CHANGE_RECOVERY_POINT -> failover.changePoint(r);
            case CANCEL_FAILOVER -> r.from() == ItemState.FAILED_BACK ? failover.cancelFailback(r) : failover.cancelFailover(r);
            case COMMIT -> r.from() == ItemState.FAILED_BACK ? failover.commitFailback(r) : failover.commitFailover(r);
        };
    }

    /** Read, change, write the item; see {@link ItemAccess#update}. */
    ProtectedItem update(ItemId id, UnaryOperator<ProtectedItem.Builder> change) {
        return access.update(id, change);
    }
}
