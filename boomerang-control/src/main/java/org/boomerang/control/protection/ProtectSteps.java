package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.SyncMode;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.job.NamedStep;
import org.boomerang.control.job.Step;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineSpec;

/**
 * The steps of the operations that start or stop replication and of test failover: enable (and
 * reprotect after a failback commit), reprotect after a failover commit (turn the on-prem machine
 * off, FB-23; recreate it for alternate location, FB-7; reverse replication and sync, FB-4), test
 * failover and its cleanup.
 */
final class ProtectSteps {
    private final ItemAccess a;

    ProtectSteps(ItemAccess access) {
        this.a = requireNonNull(access, "access is null");
    }

    List<Step> protectForward(ItemJobRequest r) {
        PairId pair = PairId.forward(r.item());
        return List.of(
                NamedStep.of("start replication", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.guard.checkReplicationSource(item.primarySite(), item.machine());
                    String ps = r.reprotect().map(ReprotectPlan::processServer).or(item::processServer).orElse("");
                    Optional<Duration> retention = r.reprotect().map(ReprotectPlan::retention).orElse(item.retention());
                    a.dataPlane.startReplication(a.pair(pair, item, item.machine(), item.primarySite(), item.machine(),
                            item.recoverySite(), ps, r.reprotect().flatMap(ReprotectPlan::masterTarget), retention), ctx.requestId());
                    a.update(r.item(), b -> b.state(ItemState.INITIAL_SYNC).pair(Optional.of(pair))
                            .processServer(ps.isEmpty() ? Optional.empty() : Optional.of(ps)).retention(retention));
                }, ctx -> {
                    a.dataPlane.stopReplication(pair, ctx.requestId());
                    a.update(r.item(), b -> b.pair(Optional.empty()));
                }),
                NamedStep.of("initial sync", ctx -> a.sync(ctx, pair, SyncMode.FULL)));
    }

    List<Step> reprotectToPrimary(ItemJobRequest r) {
        ReprotectPlan plan = r.reprotect().orElseThrow();
        PairId pair = PairId.reverse(r.item());
        List<Step> steps = new ArrayList<>();
        steps.add(NamedStep.of("turn off the on-prem machine", ctx -> {
            ProtectedItem item = a.item(r.item());
            if (plan.location() == RecoveryLocation.ALTERNATE
                    && a.primary(item).discover().machine(item.machine()).isEmpty()) {
                ctx.log("alternate location: the original machine is gone, nothing to turn off");
                return;
            }
            // FB-23 also with alternate location while the original still exists: it must not run beside the recreated one.
            try {
                a.primary(item).power().powerOff(item.machine());
            } catch (BoomerangException e) {
                throw FailbackRule.FB_23_ON_PREM_MACHINE_NOT_TURNED_OFF.refuse(
                        "could not turn off on-prem machine " + item.machine() + ": " + e.getMessage(),
                        "turn it off by hand or fix the hypervisor manager connection, then retry reprotect");
            }
        }));
        if (plan.location() == RecoveryLocation.ALTERNATE) {
            steps.add(NamedStep.of("recreate the machine on the master target's host", ctx -> {
                ProtectedItem item = a.item(r.item());
                Inventory rec = a.recovery(item).discover();
                List<DiskSpec> sizes = item.recoveryMachine().flatMap(rec::machine)
                        .map(m -> m.disks().stream().map(d -> DiskSpec.empty(d.id(), d.sizeBytes())).toList())
                        .orElse(List.of());
                Machine created = a.primary(item).machines().create(new MachineSpec(item.id().value(), org.boomerang.provider.MachineKind.VM,
                        item.os(), plan.host().orElseThrow(), plan.datastore().orElseThrow(), sizes), ctx.requestId().text());
                ctx.log("created machine " + created.id() + " on host " + plan.host().orElseThrow() + ", datastore " + plan.datastore().orElseThrow());
                a.update(r.item(), b -> b.machine(created.id()));
            }, ctx -> {
                ProtectedItem item = a.item(r.item());
                if (r.previousMachine().isPresent() && !item.machine().equals(r.previousMachine().get())) {
                    a.primary(item).machines().delete(item.machine());
                    a.update(r.item(), b -> b.machine(r.previousMachine().get()));
                }
            }));
        }
        steps.add(NamedStep.of("start reverse replication", ctx -> {
            ProtectedItem item = a.item(r.item());
            MachineId source = item.recoveryMachine().orElseThrow();
            a.guard.checkReplicationSource(item.recoverySite(), source);
            a.dataPlane.startReplication(a.pair(pair, item, source, item.recoverySite(), item.machine(), item.primarySite(),
                    plan.processServer(), plan.masterTarget(), plan.retention()), ctx.requestId());
            a.update(r.item(), b -> b.state(ItemState.REVERSE_SYNC).pair(Optional.of(pair)).processServer(Optional.of(plan.processServer()))
                    .retention(plan.retention()));
        }, ctx -> {
            a.dataPlane.stopReplication(pair, ctx.requestId());
            a.update(r.item(), b -> b.pair(Optional.of(PairId.forward(r.item()))).state(ItemState.COMMITTED));
        }));
        steps.add(NamedStep.of("synchronise to the on-prem disks", ctx -> a.sync(ctx, pair, plan.syncMode())));
        return steps;
    }

    List<Step> testFailover(ItemJobRequest r) {
        PointId point = r.point().orElseThrow();
        return List.of(
                NamedStep.of("open test view", ctx -> {
                    FailoverView v = a.dataPlane.openFailoverView(PairId.forward(r.item()), point, ctx.requestId());
                    a.update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }, ctx -> a.closeView(ctx, r)),
                NamedStep.of("create test machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    Machine m = a.recovery(item).machines().create(a.recoverySpec(item, item.id().value() + "-test"), ctx.requestId().text());
                    a.update(r.item(), b -> b.testMachine(Optional.of(m.id())));
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.testMachine().ifPresent(m -> a.recovery(item).machines().delete(m));
                    a.update(r.item(), b -> b.testMachine(Optional.empty()));
                }),
                NamedStep.of("power on test machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.recovery(item).power().powerOn(item.testMachine().orElseThrow());
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.testMachine().ifPresent(m -> a.recovery(item).power().powerOff(m));
                }));
    }

    List<Step> cleanupTest(ItemJobRequest r) {
        return List.of(
                NamedStep.of("remove test machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.testMachine().ifPresent(m -> {
                        a.recovery(item).power().powerOff(m);
                        a.recovery(item).machines().delete(m);
                    });
                    a.update(r.item(), b -> b.testMachine(Optional.empty()));
                }),
                NamedStep.of("close test view", ctx -> a.closeView(ctx, r)));
    }
}
