package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.job.NamedStep;
import org.boomerang.control.job.Step;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.PowerState;
import org.boomerang.provider.ProviderError;

/**
 * The steps of failover, failback, change of recovery point, cancel and commit. Order matters:
 * fence before the other side runs (never two writers), shut the recovery-site machine down before
 * failback (FB-17), handle guest tools (FB-18), remove recovery-site machines on commit after
 * failback (FB-19).
 */
final class FailoverSteps {
    private final ItemAccess a;

    FailoverSteps(ItemAccess access) {
        this.a = requireNonNull(access, "access is null");
    }

    List<Step> failover(ItemJobRequest r) {
        boolean planned = r.operation() == Operation.PLANNED_FAILOVER;
        PointId point = r.point().orElseThrow();
        return List.of(
                NamedStep.of("shut down the primary machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    try {
                        a.primary(item).power().powerOff(item.machine());
                    } catch (BoomerangException e) {
                        if (planned) {
                            throw e;
                        }
                        ctx.log("primary machine unreachable (" + e.getMessage() + "); it is fenced and stays so");
                    }
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    if (planned) {
                        a.guard.checkPowerOn(item.primarySite(), item.machine());
                        a.primary(item).power().powerOn(item.machine());
                    }
                }),
                NamedStep.of("fence the primary machine", ctx ->
                        a.update(r.item(), b -> b.fencedSite(Optional.of(a.item(r.item()).primarySite()))),
                        ctx -> a.update(r.item(), b -> b.fencedSite(Optional.empty()))),
                NamedStep.of("open failover view", ctx -> {
                    FailoverView v = a.dataPlane.openFailoverView(PairId.forward(r.item()), point, ctx.requestId());
                    a.update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }, ctx -> a.closeView(ctx, r)),
                NamedStep.of("create the recovery machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    Machine m = a.recovery(item).machines().create(a.recoverySpec(item, item.id().value()), ctx.requestId().text());
                    a.update(r.item(), b -> b.recoveryMachine(Optional.of(m.id())).recoveryResourceGroup(m.resourceGroup()));
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.recoveryMachine().ifPresent(m -> a.recovery(item).machines().delete(m));
                    a.update(r.item(), b -> b.recoveryMachine(Optional.empty()));
                }),
                NamedStep.of("guest tools: disable (Windows) or uninstall (Linux)", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    a.guestToolsOnFailover(a.recovery(item), item, m);
                }),
                NamedStep.of("power on the recovery machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    a.guard.checkPowerOn(item.recoverySite(), m);
                    a.recovery(item).power().powerOn(m);
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.recoveryMachine().ifPresent(m -> a.recovery(item).power().powerOff(m));
                }));
    }

    List<Step> failback(ItemJobRequest r) {
        boolean planned = r.operation() == Operation.PLANNED_FAILOVER;
        PointId point = r.point().orElseThrow();
        return List.of(
                NamedStep.of("shut down the recovery-site machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    try {
                        a.recovery(item).power().powerOff(m);
                        Optional<Machine> seen = a.recovery(item).discover().machine(m);
                        confirmFenced(m, seen);
                        ctx.log("recovery-site machine " + m + " is off and none of its disks is served any more");
                    } catch (BoomerangException e) {
                        if (e.code() == FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN) {
                            throw e;
                        }
                        if (planned) {
                            throw FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.refuse(
                                    "could not shut down recovery-site machine " + m + ": " + e.getMessage(),
                                    "shut it down by hand, or run an unplanned failback, then retry");
                        }
                        if (!r.sourceUnreachableConfirmed()) {
                            throw FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.refuse(
                                    "the recovery site " + item.recoverySite() + " could not be reached to shut down machine " + m
                                            + " and see its disks no longer served: " + e.getMessage(),
                                    "restore the connection to the recovery site and retry; or, if it is lost for good, make sure the machine "
                                            + "cannot run and retry the unplanned failback with --confirm-source-unreachable "
                                            + "(API: \"confirmSourceUnreachable\": true): it is then fenced and stays so");
                        }
                        ctx.log("recovery site " + item.recoverySite() + " unreachable (" + e.getMessage() + "); the operator confirmed it: "
                                + "machine " + m + " is fenced and stays so");
                    }
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    if (planned) {
                        item.recoveryMachine().ifPresent(m -> {
                            a.guard.checkPowerOn(item.recoverySite(), m);
                            a.recovery(item).power().powerOn(m);
                        });
                    }
                }),
                NamedStep.of("fence the recovery-site machine", ctx ->
                        a.update(r.item(), b -> b.fencedSite(Optional.of(a.item(r.item()).recoverySite()))),
                        ctx -> a.update(r.item(), b -> b.fencedSite(Optional.of(a.item(r.item()).primarySite())))),
                NamedStep.of("open failback view", ctx -> {
                    FailoverView v = a.dataPlane.openFailoverView(PairId.reverse(r.item()), point, ctx.requestId());
                    a.update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }, ctx -> a.closeView(ctx, r)),
                NamedStep.of("attach the disks to the on-prem machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    // the disks the recovery-site machine had; with that site unreachable (confirmed, FB-17), the failback view's
                    List<org.boomerang.common.DiskId> disks = r.sourceUnreachableConfirmed()
                            ? item.view().flatMap(a.dataPlane::view).map(v -> v.disks().stream().map(FailoverView.Disk::id).toList()).orElse(List.of())
                            : item.recoveryMachine().flatMap(a.recovery(item).discover()::machine).map(Machine::disks).orElse(List.of())
                                    .stream().map(MachineDisk::id).toList();
                    try {
                        for (org.boomerang.common.DiskId d : disks) {
                            a.primary(item).disks().attach(item.machine(), d);
                        }
                    } catch (BoomerangException e) {
                        if (e.code() != ProviderError.PROVIDER_MANAGER_DISCONNECTED) {
                            throw e;
                        }
                        throw FailbackRule.FB_22_MANAGER_NOT_CONNECTED.refuse(
                                "attaching the disks of item " + item.id() + " failed: " + e.getMessage(),
                                "reconnect the vCenter, then retry the failback; without it disks cannot be detached and attached");
                    }
                }),
                NamedStep.of("guest tools: enable (Windows) or reinstall (Linux)", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.guestToolsOnFailback(a.primary(item), item, item.machine());
                }),
                NamedStep.of("power on the on-prem machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.guard.checkPowerOn(item.primarySite(), item.machine());
                    a.primary(item).power().powerOn(item.machine());
                }, ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.primary(item).power().powerOff(item.machine());
                }));
    }

    /**
     * FB-17's fence, seen at the recovery site: its machine is off and none of its disks is served (a
     * guest could still write through an export left open). A machine the site no longer has cannot run.
     */
    private static void confirmFenced(MachineId m, Optional<Machine> seen) {
        if (seen.isEmpty()) {
            return;
        }
        if (seen.get().power() != PowerState.OFF) {
            throw FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.refuse(
                    "recovery-site machine " + m + " is still " + seen.get().power() + " after it was shut down",
                    "shut it down at the recovery site by hand, then retry the failback");
        }
        List<String> served = seen.get().disks().stream().filter(d -> d.served().isPresent())
                .map(d -> d.id() + " at " + d.served().get()).toList();
        if (!served.isEmpty()) {
            throw FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.refuse(
                    "recovery-site machine " + m + " is off but its disks are still served: " + String.join(", ", served),
                    "stop the recovery site's exports of these disks (restart its agent), then retry the failback");
        }
    }

    List<Step> changePoint(ItemJobRequest r) {
        PointId point = r.point().orElseThrow();
        boolean back = r.from() == ItemState.FAILED_BACK;
        return List.of(
                NamedStep.of("power off the recovered machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.recoveredSite(item, back).power().powerOff(a.recovered(item, back));
                }),
                NamedStep.of("close the current view", ctx -> a.closeView(ctx, r)),
                NamedStep.of("open the view at the new point", ctx -> {
                    FailoverView v = a.dataPlane.openFailoverView(back ? PairId.reverse(r.item()) : PairId.forward(r.item()), point, ctx.requestId());
                    a.update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }),
                NamedStep.of("power on the recovered machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.guard.checkPowerOn(back ? item.primarySite() : item.recoverySite(), a.recovered(item, back));
                    a.recoveredSite(item, back).power().powerOn(a.recovered(item, back));
                }));
    }

    List<Step> cancelFailover(ItemJobRequest r) {
        return List.of(
                NamedStep.of("remove the recovery machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.recoveryMachine().ifPresent(m -> {
                        a.recovery(item).power().powerOff(m);
                        a.recovery(item).machines().delete(m);
                    });
                    a.update(r.item(), b -> b.recoveryMachine(Optional.empty()));
                }),
                NamedStep.of("close the failover view", ctx -> a.closeView(ctx, r)),
                NamedStep.of("lift the fence of the primary machine", ctx -> a.update(r.item(), b -> b.fencedSite(Optional.empty()))),
                NamedStep.of("power on the primary machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.guard.checkPowerOn(item.primarySite(), item.machine());
                    a.primary(item).power().powerOn(item.machine());
                }));
    }

    List<Step> cancelFailback(ItemJobRequest r) {
        return List.of(
                NamedStep.of("power off the on-prem machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    a.primary(item).power().powerOff(item.machine());
                }),
                NamedStep.of("close the failback view", ctx -> a.closeView(ctx, r)),
                NamedStep.of("move the fence back to the primary machine", ctx ->
                        a.update(r.item(), b -> b.fencedSite(Optional.of(a.item(r.item()).primarySite())))),
                NamedStep.of("power on the recovery-site machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    a.guard.checkPowerOn(item.recoverySite(), m);
                    a.guestToolsOnFailover(a.recovery(item), item, m);
                    a.recovery(item).power().powerOn(m);
                }));
    }

    List<Step> commitFailover(ItemJobRequest r) {
        return List.of(
                NamedStep.of("commit the failover view", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.view().ifPresent(v -> a.dataPlane.commitFailoverView(v, ctx.requestId()));
                    a.update(r.item(), b -> b.view(Optional.empty()));
                }),
                NamedStep.of("stop forward replication", ctx -> {
                    a.dataPlane.stopReplication(PairId.forward(r.item()), ctx.requestId());
                    a.update(r.item(), b -> b.pair(Optional.empty()));
                }));
    }

    List<Step> commitFailback(ItemJobRequest r) {
        return List.of(
                NamedStep.of("commit the failback view", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    item.view().ifPresent(v -> a.dataPlane.commitFailoverView(v, ctx.requestId()));
                    a.update(r.item(), b -> b.view(Optional.empty()));
                }),
                NamedStep.of("stop reverse replication", ctx -> {
                    a.dataPlane.stopReplication(PairId.reverse(r.item()), ctx.requestId());
                    a.update(r.item(), b -> b.pair(Optional.empty()));
                }),
                NamedStep.of("remove the recovery-site machine", ctx -> {
                    ProtectedItem item = a.item(r.item());
                    try {
                        item.recoveryMachine().ifPresent(m -> {
                            a.recovery(item).power().powerOff(m);
                            a.recovery(item).machines().delete(m);
                        });
                    } catch (BoomerangException e) {
                        throw FailbackRule.FB_19_COMMIT_CANNOT_REMOVE_RECOVERY_MACHINE.refuse(
                                "could not remove recovery-site machine " + item.recoveryMachine().orElseThrow() + ": " + e.getMessage(),
                                "check the recovery site's provider, then retry the commit");
                    }
                    a.update(r.item(), b -> b.recoveryMachine(Optional.empty()).fencedSite(Optional.empty()));
                }));
    }
}
