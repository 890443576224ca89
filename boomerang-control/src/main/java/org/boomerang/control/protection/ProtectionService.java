package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.DataPlane;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.ReplicationState;
import org.boomerang.control.failback.FailbackChecks;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.ReprotectChecks;
import org.boomerang.control.failback.ReprotectPlan;
import org.boomerang.control.failback.ReprotectRequest;
import org.boomerang.control.failback.SelectedPoint;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobHandlers;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobRunner;
import org.boomerang.control.store.ControlStore;
import org.boomerang.provider.Host;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.Machine;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.SiteId;

/**
 * The protected-items facade for the API: protect, test failover and cleanup, planned and
 * unplanned failover (a failback when the item is reverse-protected), change the recovery point,
 * cancel, commit, reprotect. Each request is checked against the lifecycle and the failback rules,
 * claims the item (one operation at a time; of two racing operators one wins, the other gets
 * {@code ITEM_BUSY}) and returns the job that carries it out. Thread-safe.
 */
public final class ProtectionService {
    private final ControlStore store;
    private final InventoryService inventory;
    private final SiteProviders providers;
    private final JobRunner runner;
    private final Clock clock;
    private final FencingGuard guard;
    private final PointChooser points;
    private final FailbackContextLoader contexts;
    private final DataPlane dataPlane;
    private final List<Consumer<Map<ItemId, ItemHealth>>> healthListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProtectionService.class);

    private final Duration agentSilence;

    /**
     * @param agentSilence how long the agent of a replicating item's source machine may go without a
     *     heartbeat before the item is alerted; zero: heartbeats are not watched
     */
    public ProtectionService(ControlStore store, InventoryService inventory, SiteProviders providers, DataPlane dataPlane,
            JobHandlers handlers, JobRunner runner, Clock clock, Duration agentSilence) {
        this.agentSilence = requireNonNull(agentSilence, "agentSilence is null");
        this.store = requireNonNull(store, "store is null");
        this.inventory = requireNonNull(inventory, "inventory is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.dataPlane = requireNonNull(dataPlane, "dataPlane is null");
        this.guard = new FencingGuard(store.items());
        this.points = new PointChooser(store.items(), dataPlane);
        this.contexts = new FailbackContextLoader(inventory, providers, store.items(), store.jobs());
        ItemSteps steps = new ItemSteps(store.items(), providers, dataPlane, guard, store.inventory()::policy);
        handlers.register(JobKind.ITEM_OPERATION, new ItemJobHandler(steps, this::restart, clock));
    }

    public List<ProtectedItem> items() {
        return store.items().list();
    }

    public ProtectedItem item(ItemId id) {
        return store.items().get(id).orElseThrow(() -> new BoomerangException(ControlError.ITEM_NOT_FOUND,
                "no protected item " + id, "list items with 'boomerang items list'"));
    }

    /**
     * The item with its legal next actions, newest point and health measured now (the measurement
     * is recorded on the item when its health changed, so FB-12 and the metrics read it). Items that
     * do not replicate now (unprotected, failed over, committed) have no RPO.
     */
    public ItemStatus status(ItemId id) {
        ItemHealth health = measure(item(id));
        ProtectedItem item = item(id);
        List<Operation> legal = item.active().isPresent() ? List.of() : Lifecycle.legalOperations(item.state());
        Duration retention = item.retention().orElseGet(() -> inventory.policy(item.policy()).retention());
        if (!ItemHealth.replicating(item.state())) {
            return new ItemStatus(item, legal, Optional.empty(), Optional.empty(), false, health, retention);
        }
        Optional<MachinePoint> latest = points.points(item).stream().max(Comparator.comparing(MachinePoint::lsn));
        Optional<Duration> rpo = health.replication().flatMap(PairHealth::rpo);
        return new ItemStatus(item, legal, latest, rpo, rpo.map(d -> d.compareTo(health.rpoThreshold()) > 0).orElse(true), health,
                retention);
    }

    /** Every item's status (see {@link #status}), measured now. */
    public List<ItemStatus> statuses() {
        List<ItemStatus> out = new ArrayList<>();
        for (ProtectedItem item : items()) {
            try {
                out.add(status(item.id()));
            } catch (BoomerangException e) {
                if (e.code() != ControlError.ITEM_NOT_FOUND) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Every item with a condition an operator is alerted to (RPO over threshold, a role unreachable, a failed pair), measured now. */
    public List<ItemStatus> alerts() {
        return statuses().stream().filter(s -> s.health().alerting()).toList();
    }

    /**
     * Measures the health of every item from its pair's replication facts and records it where it
     * changed. The control server runs this every poll; a failing item is logged and skipped.
     */
    public void measureHealth() {
        Map<ItemId, ItemHealth> all = new LinkedHashMap<>();
        for (ProtectedItem item : items()) {
            try {
                all.put(item.id(), measure(item));
            } catch (RuntimeException e) {
                LOG.warn("health of item {} could not be measured; trying again on the next poll", item.id(), e);
            }
        }
        for (Consumer<Map<ItemId, ItemHealth>> l : healthListeners) {
            l.accept(Map.copyOf(all));
        }
    }

    /** Calls {@code listener} with every item's health after each {@link #measureHealth} (the metrics export the RPO from it). */
    public void onHealthMeasured(Consumer<Map<ItemId, ItemHealth>> listener) {
        healthListeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Measures an item's health now and records it on the item when it changed. */
    private ItemHealth measure(ProtectedItem item) {
        Duration threshold = inventory.policy(item.policy()).rpoThreshold();
        ItemHealth health;
        if (!ItemHealth.replicating(item.state())) {
            health = ItemHealth.notReplicating(threshold);
        } else {
            PairId pair = PointChooser.currentPair(item);
            try {
                PairHealth measured = dataPlane.health(pair);
                if (measured.state() == ReplicationState.PAUSED && (item.state() == ItemState.INITIAL_SYNC || item.state() == ItemState.REVERSE_SYNC)) {
                    // the enable or reprotect job has not started the pair yet: its initial copy is to come
                    measured = new PairHealth(pair, ReplicationState.INITIAL_SYNC, 0, Optional.empty(), measured.lagBytes(),
                            measured.lastCrashPoint(), measured.lastAppPoint(), measured.unreachableRoles());
                }
                health = ItemHealth.derive(measured, threshold);
            } catch (RuntimeException e) {
                health = ItemHealth.unreachable(pair, String.valueOf(e.getMessage()), threshold);
            }
            health = withSourceAgent(item, health);
        }
        record(item.id(), health.health());
        return health;
    }

    /**
     * The health with a {@code ROLE_UNREACHABLE} condition when the agent of the pair's source machine
     * (the primary machine forward, the recovery-site machine in reverse) has reported before but not
     * for longer than {@link #agentSilence}. An agent that never reported is FB-21's business.
     */
    private ItemHealth withSourceAgent(ProtectedItem item, ItemHealth health) {
        if (agentSilence.isZero()) {
            return health;
        }
        boolean reverse = item.state() == ItemState.REVERSE_SYNC || item.state() == ItemState.REVERSE_PROTECTED;
        SiteId site = reverse ? item.recoverySite() : item.primarySite();
        Optional<MachineId> machine = reverse ? item.recoveryMachine() : Optional.of(item.machine());
        Optional<org.boomerang.control.inventory.Agent> agent = machine.flatMap(m -> inventory.agent(site, m));
        if (agent.isEmpty() || !Duration.between(agent.get().lastHeartbeat(), clock.now()).minus(agentSilence).isPositive()) {
            return health;
        }
        return health.with(new HealthCondition(ItemHealth.ROLE_UNREACHABLE, Health.CRITICAL,
                "the agent of machine " + agent.get().machine() + " at site " + site + " has not reported since "
                        + agent.get().lastHeartbeat() + "; check that the machine runs and its agent is installed and started, "
                        + "changes are not captured meanwhile"));
    }

    /** The item with its health measured now (FB-12 reads it). */
    private ProtectedItem measured(ProtectedItem item) {
        measure(item);
        return item(item.id());
    }

    private void record(ItemId id, Health health) {
        for (int attempt = 0; ; attempt++) {
            Optional<ProtectedItem> item = store.items().get(id);
            if (item.isEmpty() || item.get().health() == health) {
                return;
            }
            try {
                store.items().update(item.get().toBuilder().health(health).build());
                return;
            } catch (BoomerangException e) {
                if (e.code() != ControlError.CONCURRENT_UPDATE || attempt > 20) {
                    throw e;
                }
            }
        }
    }

    /** The recovery points of the item's current replica, oldest first. */
    public List<MachinePoint> points(ItemId id) {
        return points.points(item(id));
    }

    /** Which point a request names for this item and how far behind the latest it is, without acting (FB-15). */
    public SelectedPoint previewPoint(ItemId id, PointRequest request) {
        return points.choose(item(id), request);
    }

    /** Creates the item for a machine of the primary site and starts its enable job (initial sync). */
    public Job protect(ProtectRequest request) {
        requireNonNull(request, "request is null");
        inventory.policy(request.policy());
        request.group().ifPresent(inventory::group);
        Inventory prim = inventory.refresh(request.primarySite());
        Machine m = prim.machine(request.machine()).orElseThrow(() -> new BoomerangException(ControlError.MACHINE_NOT_FOUND,
                "site " + request.primarySite() + " has no machine " + request.machine(),
                "refresh the inventory ('boomerang inventory refresh') and name a discovered machine"));
        Optional<ManagerId> manager = m.host().flatMap(prim::host).flatMap(Host::manager);
        ProtectedItem item = ProtectedItem.create(request.item(), m.id(), m.kind(), m.os(), request.primarySite(),
                request.recoverySite(), request.policy(), request.group(), manager, inventory.identity().id(), clock.now(),
                "", request.processServer());
        store.items().create(item);
        return begin(item.id(), Operation.ENABLE, r -> r);
    }

    public Job enable(ItemId id) {
        return begin(id, Operation.ENABLE, r -> r);
    }

    public Job disable(ItemId id) {
        return begin(id, Operation.DISABLE, r -> r);
    }

    public Job testFailover(ItemId id, PointRequest point) {
        return beginWithPoint(id, Operation.TEST_FAILOVER, point);
    }

    public Job cleanupTestFailover(ItemId id) {
        return begin(id, Operation.CLEANUP_TEST_FAILOVER, r -> r);
    }

    /** A failover; out of REVERSE_PROTECTED it is a failback, checked against FB-1, 3, 11, 12, 13, 14, 16, 22. */
    public Job failover(ItemId id, boolean planned, PointRequest point) {
        return failover(id, planned, point, Optional.empty());
    }

    /**
     * A failover that commits or rolls itself back automatically once {@code auto}'s delay has
     * passed after it completed, unless an operator commits or cancels it first.
     */
    public Job failover(ItemId id, boolean planned, PointRequest point, Optional<AutoResolution> auto) {
        return failover(id, planned, point, auto, false);
    }

    /**
     * A failover (see {@link #failover(ItemId, boolean, PointRequest, Optional)}); for an unplanned
     * failback, {@code confirmSourceUnreachable} is the operator's word that the recovery-site machine
     * cannot be reached and is left fenced as it is. Without it an unplanned failback that cannot reach
     * the recovery site to shut the machine down and see its disks no longer served stops (FB-17).
     */
    public Job failover(ItemId id, boolean planned, PointRequest point, Optional<AutoResolution> auto, boolean confirmSourceUnreachable) {
        Operation op = planned ? Operation.PLANNED_FAILOVER : Operation.UNPLANNED_FAILOVER;
        ProtectedItem item = measured(itemForFailback(id));
        if (confirmSourceUnreachable) {
            // the operator says the source is gone: its side of the reverse pair may well be unhealthy, the state must still be right
            FailbackChecks.reprotectionComplete(item.toBuilder().health(Health.OK).build());
        } else {
            FailbackChecks.reprotectionComplete(item);
        }
        if (item.state() == ItemState.REVERSE_PROTECTED) {
            failsBackWithItsGroup(item);
            FailbackChecks.check(contexts.loadForFailback(item));
        }
        if (confirmSourceUnreachable && planned) {
            throw new BoomerangException(ControlError.INVALID_REQUEST,
                    "a planned failover shuts its source down and drains it; it cannot go on with the source unreachable",
                    "run an unplanned failover (type UNPLANNED) to confirm the source cannot be reached");
        }
        return beginWithPoint(id, op, point, auto, confirmSourceUnreachable);
    }

    /**
     * Runs the checks a failover (a failback out of reverse-protected) runs before it starts — the
     * lifecycle, a running operation, FB-12 and the failback rules — without acting; throws the
     * refusal {@link #failover} would. The portal uses it to disable a button and say why.
     */
    public void checkFailover(ItemId id, boolean planned) {
        Operation op = planned ? Operation.PLANNED_FAILOVER : Operation.UNPLANNED_FAILOVER;
        ProtectedItem item = measured(itemForFailback(id));
        FailbackChecks.reprotectionComplete(item);
        if (item.state() == ItemState.REVERSE_PROTECTED) {
            failsBackWithItsGroup(item);
            FailbackChecks.check(contexts.loadForFailback(item));
        }
        Lifecycle.require(id, item.state(), op);
        if (item.active().isPresent()) {
            throw busy(item);
        }
    }

    /**
     * Seed step 1.2: the members of a replication group fail back together, as one recovery plan (whose
     * children come through {@link #beginChild}): a member alone is refused while another member is
     * reverse-protected or in reverse sync.
     */
    private void failsBackWithItsGroup(ProtectedItem item) {
        if (item.group().isEmpty()) {
            return;
        }
        List<String> others = items().stream()
                .filter(i -> i.group().equals(item.group()) && !i.id().equals(item.id()))
                .filter(i -> i.state() == ItemState.REVERSE_PROTECTED || i.state() == ItemState.REVERSE_SYNC)
                .map(i -> i.id().value())
                .toList();
        if (!others.isEmpty()) {
            throw new BoomerangException(ControlError.GROUP_NOT_TOGETHER,
                    "item " + item.id() + " is in replication group " + item.group().get() + " with " + String.join(", ", others)
                            + ", which are reprotected too; the members of a group fail back together",
                    "fail the group back as one recovery plan holding all its members ('boomerang plans failover PLAN')");
        }
    }

    /** The plan {@link #reprotect} would follow for {@code request}, or its refusal, without acting. */
    public ReprotectPlan checkReprotect(ReprotectRequest request) {
        ProtectedItem item = itemForFailback(request.item());
        Lifecycle.require(item.id(), item.state(), Operation.REPROTECT);
        ReprotectPlan plan = reprotectPlan(item, request);
        if (item.active().isPresent()) {
            throw busy(item);
        }
        return plan;
    }

    public Job changeRecoveryPoint(ItemId id, PointRequest point) {
        return beginWithPoint(id, Operation.CHANGE_RECOVERY_POINT, point);
    }

    /** Cancels a failover (or failback) that was not committed: the other side runs again. */
    public Job cancelFailover(ItemId id) {
        return begin(id, Operation.CANCEL_FAILOVER, r -> r);
    }

    public Job commit(ItemId id) {
        return begin(id, Operation.COMMIT, r -> r);
    }

    /** Reprotect, checked against the failback rules; the decided plan travels with the job. */
    public Job reprotect(ReprotectRequest request) {
        ProtectedItem item = itemForFailback(request.item());
        Lifecycle.require(item.id(), item.state(), Operation.REPROTECT);
        ReprotectPlan plan = reprotectPlan(item, request);
        return begin(request.item(), Operation.REPROTECT, r -> new ItemJobRequest(r.item(), r.operation(), r.from(),
                r.point(), r.dataLoss(), Optional.of(plan), Optional.of(item.machine())));
    }

    /**
     * The failback rules' plan for {@code request} with the retention asked for (it must be positive,
     * {@code INVALID_REQUEST} otherwise); none asked: the item follows its policy's retention.
     */
    private ReprotectPlan reprotectPlan(ProtectedItem item, ReprotectRequest request) {
        Optional<Duration> asked = request.retention();
        if (asked.isPresent() && (asked.get().isZero() || asked.get().isNegative())) {
            throw new BoomerangException(ControlError.INVALID_REQUEST, "a retention of " + asked.get() + " keeps no recovery point",
                    "choose a positive retention (e.g. 24h or 3d), or leave it out to keep the policy's");
        }
        ReprotectPlan plan = ReprotectChecks.check(contexts.load(item), request);
        return asked.map(plan::withRetention).orElse(plan);
    }

    /** Marks a committed failover as a completed migration: the item can then never fail back (FB-1). */
    public ProtectedItem completeMigration(ItemId id) {
        ProtectedItem item = item(id);
        if (item.state() != ItemState.COMMITTED || item.active().isPresent()) {
            throw Lifecycle.illegal(id, item.state(), Operation.COMMIT);
        }
        return store.items().update(item.toBuilder().migrationCompleted(true).build());
    }

    /** Powers a machine on at an operator's request, unless it is fenced. */
    public void powerOn(SiteId site, MachineId machine) {
        guard.checkPowerOn(site, machine);
        providers.of(site).power().powerOn(machine);
    }

    /**
     * Clears items claimed by a job that never got written (a crash between claim and job insert)
     * or that has ended (a crash between a plan job's end and the release of its claims).
     */
    public void recoverClaims() {
        for (ProtectedItem item : store.items().list()) {
            if (item.active().isPresent() && store.jobs().get(item.active().get().job()).map(j -> j.state().isTerminal()).orElse(true)) {
                store.items().update(item.toBuilder().active(Optional.empty()).build());
            }
        }
    }

    /**
     * Claims every item for the plan job {@code planJob} running {@code op}, all or none: an item
     * another operation holds, or one whose state does not allow {@code op}, refuses the whole
     * plan ({@code ITEM_BUSY}, {@code ILLEGAL_TRANSITION}) and the claims made so far are undone.
     * The plan job's child for an item takes the claim over ({@link #beginChild}); the plan job
     * releases what is left when it ends ({@link #releasePlanClaims}).
     */
    public void claimForPlan(List<ItemId> items, Operation op, JobId planJob) {
        for (ItemId id : items) {
            ProtectedItem item = item(id);
            if (item.active().isPresent()) {
                throw busy(item);
            }
            Lifecycle.require(id, item.state(), op);
        }
        List<ItemId> claimed = new ArrayList<>();
        try {
            for (ItemId id : items) {
                ProtectedItem item = item(id);
                if (item.active().isPresent()) {
                    throw busy(item);
                }
                Lifecycle.require(id, item.state(), op);
                try {
                    store.items().update(item.toBuilder().active(Optional.of(new ActiveOperation(op, planJob))).build());
                } catch (BoomerangException e) {
                    if (e.code() == ControlError.CONCURRENT_UPDATE) {
                        throw busy(item(id));
                    }
                    throw e;
                }
                claimed.add(id);
            }
        } catch (RuntimeException e) {
            releasePlanClaims(claimed, planJob);
            throw e;
        }
    }

    /** Releases the claims the plan job {@code planJob} still holds on {@code items} (those its children did not take over). */
    public void releasePlanClaims(List<ItemId> items, JobId planJob) {
        for (ItemId id : items) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Optional<ProtectedItem> item = store.items().get(id);
                if (item.isEmpty() || !item.get().active().map(a -> a.job().equals(planJob)).orElse(false)) {
                    break;
                }
                try {
                    store.items().update(item.get().toBuilder().active(Optional.empty()).build());
                    break;
                } catch (BoomerangException e) {
                    if (e.code() != ControlError.CONCURRENT_UPDATE) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The job for the same request as a failed or cancelled one. */
    JobId restart(Job failed) {
        ItemJobRequest old = (ItemJobRequest) failed.request();
        Job job = begin(old.item(), old.operation(), r -> new ItemJobRequest(r.item(), r.operation(), r.from(), old.point(),
                old.dataLoss(), old.reprotect(), old.reprotect().isPresent() ? Optional.of(item(old.item()).machine()) : Optional.empty(),
                old.sourceUnreachableConfirmed()), Optional.empty(), Optional.of(failed.id()));
        return job.id();
    }

    /** Starts the operation as the child of a plan job; the child id is derived from the parent so a replay finds it. */
    public Job beginChild(ItemId id, Operation op, Optional<PointRequest> point, Optional<ReprotectRequest> reprotect, JobId parent) {
        JobId childId = JobId.derived(parent, id.value() + "/" + op.label());
        Optional<Job> existing = store.jobs().get(childId);
        if (existing.isPresent()) {
            runner.submit(childId);
            return existing.get();
        }
        if (reprotect.isPresent()) {
            ProtectedItem item = itemForFailback(id);
            Lifecycle.require(id, item.state(), op);
            ReprotectPlan plan = reprotectPlan(item, reprotect.get());
            return begin(id, op, r -> new ItemJobRequest(r.item(), r.operation(), r.from(), r.point(), r.dataLoss(),
                    Optional.of(plan), Optional.of(item.machine())), Optional.of(parent), Optional.empty(), childId);
        }
        if (point.isPresent()) {
            ProtectedItem item = op.isFailover() ? measured(item(id)) : item(id);
            if (op.isFailover()) {
                FailbackChecks.reprotectionComplete(item);
                if (item.state() == ItemState.REVERSE_PROTECTED) {
                    FailbackChecks.check(contexts.loadForFailback(item));
                }
            }
            Lifecycle.require(id, item.state(), op);
            SelectedPoint sp = points.choose(item, point.get());
            return begin(id, op, r -> new ItemJobRequest(r.item(), r.operation(), r.from(), Optional.of(sp.point().id()),
                    Optional.of(sp.dataLoss()), r.reprotect(), r.previousMachine()), Optional.of(parent), Optional.empty(), childId);
        }
        return begin(id, op, r -> r, Optional.of(parent), Optional.empty(), childId);
    }

    /**
     * The item for a failover, failback or reprotect: an unknown one is {@code ITEM_NOT_FOUND} like
     * everywhere else, with FB-13's advice (this may be a control server without its database).
     */
    private ProtectedItem itemForFailback(ItemId id) {
        return store.items().get(id).orElseThrow(() -> new BoomerangException(ControlError.ITEM_NOT_FOUND,
                "no protected item " + id + " in this control server's database",
                "check the id ('boomerang items list'); FB-13: fail back from the control server that protected it, and if its "
                        + "database was lost, restore a backup ('boomerang server restore') on a server with the same address"));
    }

    private Job beginWithPoint(ItemId id, Operation op, PointRequest point) {
        return beginWithPoint(id, op, point, Optional.empty());
    }

    private Job beginWithPoint(ItemId id, Operation op, PointRequest point, Optional<AutoResolution> auto) {
        return beginWithPoint(id, op, point, auto, false);
    }

    private Job beginWithPoint(ItemId id, Operation op, PointRequest point, Optional<AutoResolution> auto, boolean confirmSourceUnreachable) {
        ProtectedItem item = item(id);
        Lifecycle.require(id, item.state(), op);
        SelectedPoint sp = points.choose(item, point);
        return begin(id, op, r -> new ItemJobRequest(r.item(), r.operation(), r.from(), Optional.of(sp.point().id()),
                Optional.of(sp.dataLoss()), r.reprotect(), r.previousMachine(), confirmSourceUnreachable),
                Optional.empty(), Optional.empty(), JobId.random(), auto);
    }

    /**
     * Commits or rolls back every failover whose auto-resolution deadline has passed and that no
     * operator has acted on; returns the jobs started. The control server calls this on each poll.
     */
    public List<Job> resolveExpired() {
        List<Job> started = new ArrayList<>();
        for (ProtectedItem item : store.items().list()) {
            Optional<AutoResolution> auto = item.autoResolution();
            boolean due = auto.flatMap(AutoResolution::deadline).map(d -> !d.isAfter(clock.now())).orElse(false);
            boolean failedOver = item.state() == ItemState.FAILED_OVER || item.state() == ItemState.FAILED_BACK;
            if (!due || !failedOver || item.active().isPresent()) {
                continue;
            }
            try {
                started.add(switch (auto.get().action()) {
                    case COMMIT -> commit(item.id());
                    case ROLLBACK -> cancelFailover(item.id());
                });
            } catch (BoomerangException e) {
                if (e.code() != ControlError.ITEM_BUSY) {
                    throw e;
                }
            }
        }
        return started;
    }

    private Job begin(ItemId id, Operation op, UnaryOperator<ItemJobRequest> decorate) {
        return begin(id, op, decorate, Optional.empty(), Optional.empty());
    }

    private Job begin(ItemId id, Operation op, UnaryOperator<ItemJobRequest> decorate,
            Optional<JobId> parent, Optional<JobId> restartOf) {
        return begin(id, op, decorate, parent, restartOf, JobId.random());
    }

    /** Checks the lifecycle, claims the item for a new job (optimistically), writes the job and submits it. */
    private Job begin(ItemId id, Operation op, UnaryOperator<ItemJobRequest> decorate,
            Optional<JobId> parent, Optional<JobId> restartOf, JobId jobId) {
        return begin(id, op, decorate, parent, restartOf, jobId, Optional.empty());
    }

    private Job begin(ItemId id, Operation op, UnaryOperator<ItemJobRequest> decorate,
            Optional<JobId> parent, Optional<JobId> restartOf, JobId jobId, Optional<AutoResolution> auto) {
        ProtectedItem item = item(id);
        boolean claimedByParent = parent.isPresent() && item.active().map(a -> a.job().equals(parent.get())).orElse(false);
        if (item.active().isPresent() && !claimedByParent) {
            throw busy(item);
        }
        Transition t = Lifecycle.require(id, item.state(), op);
        if (op == Operation.ENABLE) {
            guard.checkReplicationSource(item.primarySite(), item.machine());
        }
        ItemJobRequest request = decorate.apply(ItemJobRequest.simple(id, op, t.from()));
        try {
            ProtectedItem.Builder claim = item.toBuilder().active(Optional.of(new ActiveOperation(op, jobId)));
            if (op.isFailover()) {
                claim.autoResolution(auto);
            } else if (op == Operation.COMMIT || op == Operation.CANCEL_FAILOVER) {
                claim.autoResolution(Optional.empty());
            }
            store.items().update(claim.build());
        } catch (BoomerangException e) {
            if (e.code() == ControlError.CONCURRENT_UPDATE) {
                throw busy(item(id));
            }
            throw e;
        }
        Job job = Job.queued(jobId, request, clock.now(), parent, restartOf);
        store.jobs().create(job);
        store.jobs().appendLog(jobId, clock.now(), "requested: " + request.describe());
        runner.submit(jobId);
        return job;
    }

    private static BoomerangException busy(ProtectedItem item) {
        String what = item.active().map(a -> a.operation().label() + " (job " + a.job() + ")").orElse("another change");
        return new BoomerangException(ControlError.ITEM_BUSY,
                "item " + item.id() + " is busy: " + what + " got there first",
                "wait for that job to finish (or cancel it), re-read the item, then retry");
    }
}
