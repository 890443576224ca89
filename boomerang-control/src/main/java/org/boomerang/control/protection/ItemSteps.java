package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.control.dataplane.SyncMode;
import org.boomerang.control.dataplane.SyncOutcome;
import org.boomerang.control.dataplane.SyncRequest;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.NamedStep;
import org.boomerang.control.job.Step;
import org.boomerang.control.job.StepContext;
import org.boomerang.control.store.ItemStore;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineSpec;
import org.boomerang.provider.SiteProvider;

/**
 * The steps of each item operation. Every step re-reads the item, is idempotent under its request
 * id, and names its compensation. Order matters and follows the seed: fence before the other side
 * runs (never two writers), shut the recovery-site machine down before failback (FB-17), handle
 * guest tools (FB-18), remove recovery-site machines on commit after failback (FB-19), turn the
 * on-prem machine off before the reverse sync (FB-23).
 */
final class ItemSteps {
    private final ItemStore items;
    private final SiteProviders providers;
    private final DataPlane dataPlane;
    private final FencingGuard guard;

    ItemSteps(ItemStore items, SiteProviders providers, DataPlane dataPlane, FencingGuard guard) {
        this.items = requireNonNull(items, "items is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
        this.guard = requireNonNull(guard, "guard is null");
    }

    List<Step> steps(ItemJobRequest r) {
        return switch (r.operation()) {
            case ENABLE -> protectForward(r);
            case REPROTECT -> r.from() == ItemState.COMMITTED_BACK ? protectForward(r) : reprotectToPrimary(r);
            case DISABLE -> List.of(NamedStep.of("stop replication", ctx -> {
                dataPlane.stopReplication(Pairs.forward(r.item()), ctx.requestId());
                update(r.item(), b -> b.pair(Optional.empty()));
            }));
            case TEST_FAILOVER -> testFailover(r);
            case CLEANUP_TEST_FAILOVER -> cleanupTest(r);
            case PLANNED_FAILOVER, UNPLANNED_FAILOVER -> r.from() == ItemState.REVERSE_PROTECTED ? failback(r) : failover(r);
            case CHANGE_RECOVERY_POINT -> changePoint(r);
            case CANCEL_FAILOVER -> r.from() == ItemState.FAILED_BACK ? cancelFailback(r) : cancelFailover(r);
            case COMMIT -> r.from() == ItemState.FAILED_BACK ? commitFailback(r) : commitFailover(r);
        };
    }

    private List<Step> protectForward(ItemJobRequest r) {
        String pair = Pairs.forward(r.item());
        return List.of(
                NamedStep.of("start replication", ctx -> {
                    ProtectedItem item = item(r.item());
                    guard.checkReplicationSource(item.primarySite(), item.machine());
                    String ps = r.reprotect().map(ReprotectPlan::processServer).or(item::processServer).orElse("");
                    dataPlane.startReplication(new ReplicationPair(pair, item.machine(), item.primarySite(), item.machine(),
                            item.recoverySite(), ps), ctx.requestId());
                    update(r.item(), b -> b.state(ItemState.INITIAL_SYNC).pair(Optional.of(pair))
                            .processServer(ps.isEmpty() ? Optional.empty() : Optional.of(ps)));
                }, ctx -> {
                    dataPlane.stopReplication(pair, ctx.requestId());
                    update(r.item(), b -> b.pair(Optional.empty()));
                }),
                NamedStep.of("initial sync", ctx -> sync(ctx, pair, SyncMode.FULL)));
    }

    private List<Step> reprotectToPrimary(ItemJobRequest r) {
        ReprotectPlan plan = r.reprotect().orElseThrow();
        String pair = Pairs.reverse(r.item());
        List<Step> steps = new ArrayList<>();
        steps.add(NamedStep.of("turn off the on-prem machine", ctx -> {
            ProtectedItem item = item(r.item());
            if (plan.location() == RecoveryLocation.ALTERNATE) {
                ctx.log("alternate location: the original machine is gone or replaced, nothing to turn off");
                return;
            }
            try {
                primary(item).power().powerOff(item.machine());
            } catch (BoomerangException e) {
                throw FailbackRule.FB_23_ON_PREM_MACHINE_NOT_TURNED_OFF.refuse(
                        "could not turn off on-prem machine " + item.machine() + ": " + e.getMessage(),
                        "turn it off by hand or fix the hypervisor manager connection, then retry reprotect");
            }
        }));
        if (plan.location() == RecoveryLocation.ALTERNATE) {
            steps.add(NamedStep.of("recreate the machine on the master target's host", ctx -> {
                ProtectedItem item = item(r.item());
                Inventory rec = recovery(item).discover();
                List<DiskSpec> sizes = item.recoveryMachine().flatMap(rec::machine)
                        .map(m -> m.disks().stream().map(d -> new DiskSpec(d.id(), d.sizeBytes())).toList())
                        .orElse(List.of());
                Machine created = primary(item).machines().create(new MachineSpec(item.id().value(), org.boomerang.provider.MachineKind.VM,
                        item.os(), plan.host().orElseThrow(), plan.datastore().orElseThrow(), sizes), ctx.requestId());
                ctx.log("created machine " + created.id() + " on host " + plan.host().orElseThrow() + ", datastore " + plan.datastore().orElseThrow());
                update(r.item(), b -> b.machine(created.id()));
            }, ctx -> {
                ProtectedItem item = item(r.item());
                if (r.previousMachine().isPresent() && !item.machine().equals(r.previousMachine().get())) {
                    primary(item).machines().delete(item.machine());
                    update(r.item(), b -> b.machine(r.previousMachine().get()));
                }
            }));
        }
        steps.add(NamedStep.of("start reverse replication", ctx -> {
            ProtectedItem item = item(r.item());
            MachineId source = item.recoveryMachine().orElseThrow();
            guard.checkReplicationSource(item.recoverySite(), source);
            dataPlane.startReplication(new ReplicationPair(pair, source, item.recoverySite(), item.machine(), item.primarySite(),
                    plan.processServer()), ctx.requestId());
            update(r.item(), b -> b.state(ItemState.REVERSE_SYNC).pair(Optional.of(pair)).processServer(Optional.of(plan.processServer())));
        }, ctx -> {
            dataPlane.stopReplication(pair, ctx.requestId());
            update(r.item(), b -> b.pair(Optional.of(Pairs.forward(r.item()))).state(ItemState.COMMITTED));
        }));
        steps.add(NamedStep.of("synchronise to the on-prem disks", ctx -> sync(ctx, pair, plan.syncMode())));
        return steps;
    }

    private List<Step> testFailover(ItemJobRequest r) {
        String point = r.point().orElseThrow();
        return List.of(
                NamedStep.of("open test view", ctx -> {
                    FailoverView v = dataPlane.openFailoverView(Pairs.forward(r.item()), point, ctx.requestId());
                    update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }, ctx -> closeView(ctx, r)),
                NamedStep.of("create test machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    Machine m = recovery(item).machines().create(recoverySpec(item, item.id().value() + "-test"), ctx.requestId());
                    update(r.item(), b -> b.testMachine(Optional.of(m.id())));
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    item.testMachine().ifPresent(m -> recovery(item).machines().delete(m));
                    update(r.item(), b -> b.testMachine(Optional.empty()));
                }),
                NamedStep.of("power on test machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    recovery(item).power().powerOn(item.testMachine().orElseThrow());
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    item.testMachine().ifPresent(m -> recovery(item).power().powerOff(m));
                }));
    }

    private List<Step> cleanupTest(ItemJobRequest r) {
        return List.of(
                NamedStep.of("remove test machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    item.testMachine().ifPresent(m -> {
                        recovery(item).power().powerOff(m);
                        recovery(item).machines().delete(m);
                    });
                    update(r.item(), b -> b.testMachine(Optional.empty()));
                }),
                NamedStep.of("close test view", ctx -> closeView(ctx, r)));
    }

    private List<Step> failover(ItemJobRequest r) {
        boolean planned = r.operation() == Operation.PLANNED_FAILOVER;
        String point = r.point().orElseThrow();
        return List.of(
                NamedStep.of("shut down the primary machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    try {
                        primary(item).power().powerOff(item.machine());
                    } catch (BoomerangException e) {
                        if (planned) {
                            throw e;
                        }
                        ctx.log("primary machine unreachable (" + e.getMessage() + "); it is fenced and stays so");
                    }
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    if (planned) {
                        guard.checkPowerOn(item.primarySite(), item.machine());
                        primary(item).power().powerOn(item.machine());
                    }
                }),
                NamedStep.of("fence the primary machine", ctx ->
                        update(r.item(), b -> b.fencedSite(Optional.of(item(r.item()).primarySite()))),
                        ctx -> update(r.item(), b -> b.fencedSite(Optional.empty()))),
                NamedStep.of("open failover view", ctx -> {
                    FailoverView v = dataPlane.openFailoverView(Pairs.forward(r.item()), point, ctx.requestId());
                    update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }, ctx -> closeView(ctx, r)),
                NamedStep.of("create the recovery machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    Machine m = recovery(item).machines().create(recoverySpec(item, item.id().value()), ctx.requestId());
                    update(r.item(), b -> b.recoveryMachine(Optional.of(m.id())).recoveryResourceGroup(m.resourceGroup()));
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    item.recoveryMachine().ifPresent(m -> recovery(item).machines().delete(m));
                    update(r.item(), b -> b.recoveryMachine(Optional.empty()));
                }),
                NamedStep.of("guest tools: disable (Windows) or uninstall (Linux)", ctx -> {
                    ProtectedItem item = item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    guestToolsOnFailover(recovery(item), item, m);
                }),
                NamedStep.of("power on the recovery machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    guard.checkPowerOn(item.recoverySite(), m);
                    recovery(item).power().powerOn(m);
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    item.recoveryMachine().ifPresent(m -> recovery(item).power().powerOff(m));
                }));
    }

    private List<Step> failback(ItemJobRequest r) {
        boolean planned = r.operation() == Operation.PLANNED_FAILOVER;
        String point = r.point().orElseThrow();
        return List.of(
                NamedStep.of("shut down the recovery-site machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    try {
                        recovery(item).power().powerOff(m);
                    } catch (BoomerangException e) {
                        if (planned) {
                            throw FailbackRule.FB_17_RECOVERY_MACHINE_NOT_SHUT_DOWN.refuse(
                                    "could not shut down recovery-site machine " + m + ": " + e.getMessage(),
                                    "shut it down by hand, or run an unplanned failback, then retry");
                        }
                        ctx.log("recovery-site machine unreachable (" + e.getMessage() + "); it is fenced and stays so");
                    }
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    if (planned) {
                        item.recoveryMachine().ifPresent(m -> {
                            guard.checkPowerOn(item.recoverySite(), m);
                            recovery(item).power().powerOn(m);
                        });
                    }
                }),
                NamedStep.of("fence the recovery-site machine", ctx ->
                        update(r.item(), b -> b.fencedSite(Optional.of(item(r.item()).recoverySite()))),
                        ctx -> update(r.item(), b -> b.fencedSite(Optional.of(item(r.item()).primarySite())))),
                NamedStep.of("open failback view", ctx -> {
                    FailoverView v = dataPlane.openFailoverView(Pairs.reverse(r.item()), point, ctx.requestId());
                    update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }, ctx -> closeView(ctx, r)),
                NamedStep.of("attach the disks to the on-prem machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    Inventory inv = recovery(item).discover();
                    List<MachineDisk> disks = item.recoveryMachine().flatMap(inv::machine).map(Machine::disks).orElse(List.of());
                    for (MachineDisk d : disks) {
                        primary(item).disks().attach(item.machine(), d.id());
                    }
                }),
                NamedStep.of("guest tools: enable (Windows) or reinstall (Linux)", ctx -> {
                    ProtectedItem item = item(r.item());
                    guestToolsOnFailback(primary(item), item, item.machine());
                }),
                NamedStep.of("power on the on-prem machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    guard.checkPowerOn(item.primarySite(), item.machine());
                    primary(item).power().powerOn(item.machine());
                }, ctx -> {
                    ProtectedItem item = item(r.item());
                    primary(item).power().powerOff(item.machine());
                }));
    }

    private List<Step> changePoint(ItemJobRequest r) {
        String point = r.point().orElseThrow();
        boolean back = r.from() == ItemState.FAILED_BACK;
        return List.of(
                NamedStep.of("power off the recovered machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    recoveredSite(item, back).power().powerOff(recovered(item, back));
                }),
                NamedStep.of("close the current view", ctx -> closeView(ctx, r)),
                NamedStep.of("open the view at the new point", ctx -> {
                    FailoverView v = dataPlane.openFailoverView(back ? Pairs.reverse(r.item()) : Pairs.forward(r.item()), point, ctx.requestId());
                    update(r.item(), b -> b.view(Optional.of(v.id())).point(Optional.of(point)));
                }),
                NamedStep.of("power on the recovered machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    guard.checkPowerOn(back ? item.primarySite() : item.recoverySite(), recovered(item, back));
                    recoveredSite(item, back).power().powerOn(recovered(item, back));
                }));
    }

    private List<Step> cancelFailover(ItemJobRequest r) {
        return List.of(
                NamedStep.of("remove the recovery machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    item.recoveryMachine().ifPresent(m -> {
                        recovery(item).power().powerOff(m);
                        recovery(item).machines().delete(m);
                    });
                    update(r.item(), b -> b.recoveryMachine(Optional.empty()));
                }),
                NamedStep.of("close the failover view", ctx -> closeView(ctx, r)),
                NamedStep.of("lift the fence of the primary machine", ctx -> update(r.item(), b -> b.fencedSite(Optional.empty()))),
                NamedStep.of("power on the primary machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    guard.checkPowerOn(item.primarySite(), item.machine());
                    primary(item).power().powerOn(item.machine());
                }));
    }

    private List<Step> cancelFailback(ItemJobRequest r) {
        return List.of(
                NamedStep.of("power off the on-prem machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    primary(item).power().powerOff(item.machine());
                }),
                NamedStep.of("close the failback view", ctx -> closeView(ctx, r)),
                NamedStep.of("move the fence back to the primary machine", ctx ->
                        update(r.item(), b -> b.fencedSite(Optional.of(item(r.item()).primarySite())))),
                NamedStep.of("power on the recovery-site machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    MachineId m = item.recoveryMachine().orElseThrow();
                    guard.checkPowerOn(item.recoverySite(), m);
                    guestToolsOnFailover(recovery(item), item, m);
                    recovery(item).power().powerOn(m);
                }));
    }

    private List<Step> commitFailover(ItemJobRequest r) {
        return List.of(
                NamedStep.of("commit the failover view", ctx -> {
                    ProtectedItem item = item(r.item());
                    item.view().ifPresent(v -> dataPlane.commitFailoverView(v, ctx.requestId()));
                    update(r.item(), b -> b.view(Optional.empty()));
                }),
                NamedStep.of("stop forward replication", ctx -> {
                    dataPlane.stopReplication(Pairs.forward(r.item()), ctx.requestId());
                    update(r.item(), b -> b.pair(Optional.empty()));
                }));
    }

    private List<Step> commitFailback(ItemJobRequest r) {
        return List.of(
                NamedStep.of("commit the failback view", ctx -> {
                    ProtectedItem item = item(r.item());
                    item.view().ifPresent(v -> dataPlane.commitFailoverView(v, ctx.requestId()));
                    update(r.item(), b -> b.view(Optional.empty()));
                }),
                NamedStep.of("stop reverse replication", ctx -> {
                    dataPlane.stopReplication(Pairs.reverse(r.item()), ctx.requestId());
                    update(r.item(), b -> b.pair(Optional.empty()));
                }),
                NamedStep.of("remove the recovery-site machine", ctx -> {
                    ProtectedItem item = item(r.item());
                    try {
                        item.recoveryMachine().ifPresent(m -> {
                            recovery(item).power().powerOff(m);
                            recovery(item).machines().delete(m);
                        });
                    } catch (BoomerangException e) {
                        throw FailbackRule.FB_19_COMMIT_CANNOT_REMOVE_RECOVERY_MACHINE.refuse(
                                "could not remove recovery-site machine " + item.recoveryMachine().orElseThrow() + ": " + e.getMessage(),
                                "check the recovery site's provider, then retry the commit");
                    }
                    update(r.item(), b -> b.recoveryMachine(Optional.empty()).fencedSite(Optional.empty()));
                }));
    }

    private void guestToolsOnFailover(SiteProvider site, ProtectedItem item, MachineId m) {
        switch (item.os().family()) {
            case WINDOWS -> site.guestTools().disable(m);
            case LINUX -> site.guestTools().uninstall(m);
        }
    }

    private void guestToolsOnFailback(SiteProvider site, ProtectedItem item, MachineId m) {
        switch (item.os().family()) {
            case WINDOWS -> site.guestTools().enable(m);
            case LINUX -> site.guestTools().install(m);
        }
    }

    private void sync(StepContext ctx, String pair, SyncMode mode) {
        SyncOutcome out = dataPlane.sync(new SyncRequest(pair, mode), ctx.requestId());
        ctx.progress(100, out.bytesSent(), out.bytesRead());
        ctx.log(out.mode() + " sync: read " + out.bytesRead() + " B, sent " + out.bytesSent() + " B, "
                + out.blocksChanged() + " blocks changed in " + out.took().toMillis() + " ms"
                + (out.fallbackReason().isEmpty() ? "" : "; fell back because " + out.fallbackReason()));
    }

    private void closeView(StepContext ctx, ItemJobRequest r) {
        ProtectedItem item = item(r.item());
        item.view().ifPresent(v -> dataPlane.closeFailoverView(v, ctx.requestId() + ":close"));
        update(r.item(), b -> b.view(Optional.empty()));
    }

    private MachineSpec recoverySpec(ProtectedItem item, String name) {
        Inventory rec = recovery(item).discover();
        if (rec.hosts().isEmpty() || rec.datastores().isEmpty()) {
            throw new BoomerangException(ControlError.STEP_FAILED,
                    "recovery site " + item.recoverySite() + " has no host or datastore to create machine " + name + " on",
                    "check the recovery site's provider inventory, then retry");
        }
        Inventory prim = primary(item).discover();
        List<DiskSpec> sizes = prim.machine(item.machine()).map(m -> m.disks().stream().map(d -> new DiskSpec(d.id(), d.sizeBytes())).toList())
                .orElse(List.of());
        return new MachineSpec(name, item.kind(), item.os(), rec.hosts().getFirst().id(), rec.datastores().getFirst().id(), sizes);
    }

    private MachineId recovered(ProtectedItem item, boolean back) {
        return back ? item.machine() : item.recoveryMachine().orElseThrow();
    }

    private SiteProvider recoveredSite(ProtectedItem item, boolean back) {
        return back ? primary(item) : recovery(item);
    }

    private SiteProvider primary(ProtectedItem item) {
        return providers.of(item.primarySite());
    }

    private SiteProvider recovery(ProtectedItem item) {
        return providers.of(item.recoverySite());
    }

    private ProtectedItem item(ItemId id) {
        return items.get(id).orElseThrow(() -> new BoomerangException(ControlError.ITEM_NOT_FOUND,
                "item " + id + " disappeared while its job ran", "see the job log"));
    }

    /** Read, change, write; retried on a concurrent version bump (e.g. a health update). */
    ProtectedItem update(ItemId id, UnaryOperator<ProtectedItem.Builder> change) {
        for (int attempt = 0; ; attempt++) {
            ProtectedItem current = item(id);
            try {
                return items.update(change.apply(current.toBuilder()).build());
            } catch (BoomerangException e) {
                if (e.code() != ControlError.CONCURRENT_UPDATE || attempt > 20) {
                    throw e;
                }
            }
        }
    }
}
