package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.boomerang.common.Backoff;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.DiskId;
import org.boomerang.common.SyncMode;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.FailoverView;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PairPolicy;
import org.boomerang.control.dataplane.ReplicationPair;
import org.boomerang.control.dataplane.SyncOutcome;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.StepContext;
import org.boomerang.control.store.ItemStore;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.DiskSpec;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.MachineDisk;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineSpec;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;

/**
 * What item steps share: reading and updating the item (retrying on a concurrent version bump),
 * its sites' providers, the data plane, and the small actions several operations repeat (close the
 * view, run a sync and log its report, handle guest tools, describe a recovery-site machine).
 */
final class ItemAccess {
    final ItemStore items;
    final SiteProviders providers;
    final DataPlane dataPlane;
    final FencingGuard guard;
    private final Function<PolicyId, Optional<ReplicationPolicy>> policies;

    /** Retries of a write that lost a version race: 20 attempts, waits from 5 ms doubling up to 500 ms. */
    static final Backoff CONFLICT_BACKOFF = Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(500), 20);

    private final Backoff backoff;

    ItemAccess(ItemStore items, SiteProviders providers, DataPlane dataPlane, FencingGuard guard,
            Function<PolicyId, Optional<ReplicationPolicy>> policies) {
        this(items, providers, dataPlane, guard, policies, CONFLICT_BACKOFF);
    }

    /** For tests: another backoff (e.g. one that records its waits instead of sleeping). */
    ItemAccess(ItemStore items, SiteProviders providers, DataPlane dataPlane, FencingGuard guard,
            Function<PolicyId, Optional<ReplicationPolicy>> policies, Backoff backoff) {
        this.policies = requireNonNull(policies, "policies is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.items = requireNonNull(items, "items is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
        this.guard = requireNonNull(guard, "guard is null");
    }

    /** FB-18 on failover: disable (Windows) or uninstall (Linux) the hypervisor's guest tools. */
    void guestToolsOnFailover(SiteProvider site, ProtectedItem item, MachineId m) {
        try {
            switch (item.os().family()) {
                case WINDOWS -> site.guestTools().disable(m);
                case LINUX -> site.guestTools().uninstall(m);
            }
        } catch (BoomerangException e) {
            throw FailbackRule.FB_18_GUEST_TOOLS_NOT_HANDLED.refuse(
                    "could not " + (item.os().family() == org.boomerang.provider.OsFamily.WINDOWS ? "disable" : "uninstall")
                            + " the guest tools of machine " + m + ": " + e.getMessage(),
                    "check the site provider can reach the machine, then retry the operation");
        }
    }

    /** FB-18 on failback: re-enable (Windows) or reinstall (Linux) the hypervisor's guest tools. */
    void guestToolsOnFailback(SiteProvider site, ProtectedItem item, MachineId m) {
        try {
            switch (item.os().family()) {
                case WINDOWS -> site.guestTools().enable(m);
                case LINUX -> site.guestTools().install(m);
            }
        } catch (BoomerangException e) {
            throw FailbackRule.FB_18_GUEST_TOOLS_NOT_HANDLED.refuse(
                    "could not " + (item.os().family() == org.boomerang.provider.OsFamily.WINDOWS ? "re-enable" : "reinstall")
                            + " the guest tools of machine " + m + ": " + e.getMessage(),
                    "check the site provider can reach the machine, then retry the failback");
        }
    }

    void sync(StepContext ctx, PairId pair, SyncMode mode) {
        SyncOutcome out = dataPlane.sync(pair, mode, ctx.requestId());
        ctx.progress(100, out.bytesSent(), out.bytesRead());
        ctx.log(out.mode() + " sync: read " + out.bytesRead() + " B, sent " + out.bytesSent() + " B, "
                + out.blocksChanged() + " blocks changed in " + out.took().toMillis() + " ms"
                + (out.fallbackReason().isEmpty() ? "" : (mode == SyncMode.FULL && out.mode() != SyncMode.FULL
                        ? "; instead of a full copy because " : "; fell back because ") + out.fallbackReason()));
    }

    void closeView(StepContext ctx, ItemJobRequest r) {
        ProtectedItem item = item(r.item());
        item.view().ifPresent(v -> dataPlane.closeFailoverView(v, ctx.requestId().part("close")));
        update(r.item(), b -> b.view(Optional.empty()));
    }

    /**
     * A pair of the item: the source machine's disks as its site reports them now, the process server
     * and master target chosen for it, the item's group, the retention chosen for it ({@code retention}; empty:
     * its policy's) and its policy's point cadence (when the policy is gone: one crash point a minute, one app
     * point an hour, a day of retention).
     */
    ReplicationPair pair(PairId id, ProtectedItem item, MachineId source, SiteId sourceSite, MachineId target, SiteId targetSite, String ps,
            Optional<MachineId> masterTarget, Optional<Duration> retention) {
        Optional<ReplicationPolicy> policy = policies.apply(item.policy());
        List<DiskId> disks = providers.of(sourceSite).discover().machine(source)
                .orElseThrow(() -> new BoomerangException(ControlError.MACHINE_NOT_FOUND, "machine " + source + " is not in the inventory of site "
                        + sourceSite + ", so its disks cannot be replicated", "rediscover the site; if the machine is gone, recreate it, then retry"))
                .disks().stream().map(MachineDisk::id).toList();
        PairPolicy pairPolicy = PairPolicy.of(retention.or(() -> policy.map(ReplicationPolicy::retention)).orElse(Duration.ofDays(1)),
                policy.map(ReplicationPolicy::crashConsistentEvery).orElse(Duration.ofMinutes(1)),
                policy.map(ReplicationPolicy::appConsistentEvery).orElse(Duration.ofHours(1)));
        return new ReplicationPair(id, source, sourceSite, target, targetSite, disks, ps, masterTarget, pairPolicy, item.group());
    }

    /**
     * What to create at the recovery site for {@code item}: on its first host and datastore, one disk per
     * disk of the primary machine — attached to the failover view's export of that disk when the view
     * exports them (the recovered machine boots from the replica), a new empty disk otherwise.
     */
    MachineSpec recoverySpec(ProtectedItem item, String name) {
        Inventory rec = recovery(item).discover();
        if (rec.hosts().isEmpty() || rec.datastores().isEmpty()) {
            throw new BoomerangException(ControlError.STEP_FAILED,
                    "recovery site " + item.recoverySite() + " has no host or datastore to create machine " + name + " on",
                    "check the recovery site's provider inventory, then retry");
        }
        Inventory prim = primary(item).discover();
        List<FailoverView.Disk> exported = item.view().flatMap(dataPlane::view).map(FailoverView::disks).orElse(List.of());
        List<DiskSpec> sizes = prim.machine(item.machine()).map(m -> m.disks().stream().map(d -> exported.stream()
                .filter(x -> x.id().equals(d.id())).findFirst()
                .map(x -> DiskSpec.backedBy(d.id(), d.sizeBytes(), new DiskBacking.NbdExport(x.nbdUri())))
                .orElseGet(() -> DiskSpec.empty(d.id(), d.sizeBytes()))).toList())
                .orElse(List.of());
        return new MachineSpec(name, item.kind(), item.os(), rec.hosts().getFirst().id(), rec.datastores().getFirst().id(), sizes);
    }

    MachineId recovered(ProtectedItem item, boolean back) {
        return back ? item.machine() : item.recoveryMachine().orElseThrow();
    }

    SiteProvider recoveredSite(ProtectedItem item, boolean back) {
        return back ? primary(item) : recovery(item);
    }

    SiteProvider primary(ProtectedItem item) {
        return providers.of(item.primarySite());
    }

    SiteProvider recovery(ProtectedItem item) {
        return providers.of(item.recoverySite());
    }

    ProtectedItem item(ItemId id) {
        return items.get(id).orElseThrow(() -> new BoomerangException(ControlError.ITEM_NOT_FOUND,
                "item " + id + " disappeared while its job ran", "see the job log"));
    }

    /**
     * Read, change, write; on a concurrent version bump (e.g. a health update) re-read and retry with
     * bounded exponential backoff and jitter ({@link #CONFLICT_BACKOFF}); gives up with
     * {@link ControlError#UPDATE_RETRIES_EXHAUSTED}.
     */
    ProtectedItem update(ItemId id, UnaryOperator<ProtectedItem.Builder> change) {
        for (int attempt = 1; ; attempt++) {
            ProtectedItem current = item(id);
            try {
                return items.update(change.apply(current.toBuilder()).build());
            } catch (BoomerangException e) {
                if (e.code() != ControlError.CONCURRENT_UPDATE) {
                    throw e;
                }
                if (attempt >= backoff.attempts() || !backoff.pause(attempt)) {
                    throw new BoomerangException(ControlError.UPDATE_RETRIES_EXHAUSTED,
                            "item " + id + " kept changing under this update: gave up after " + attempt + " of " + backoff.describe(),
                            "another writer updates it continuously; see the job log, then restart the job", e);
                }
            }
        }
    }
}
