package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.RecoveryPointSelector;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobHandlers;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobRunner;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.control.store.ControlStore;

/** The recovery-plans facade: create, list, run a plan operation as one job. Thread-safe. */
public final class PlanService {
    private final ControlStore store;
    private final ProtectionService protection;
    private final JobRunner runner;
    private final Clock clock;

    public PlanService(ControlStore store, ProtectionService protection, JobHandlers handlers, JobRunner runner, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.protection = requireNonNull(protection, "protection is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.clock = requireNonNull(clock, "clock is null");
        handlers.register(JobKind.PLAN_OPERATION, new PlanJobHandler(protection, store.jobs(), this::restart));
    }

    /** Creates or replaces a plan; every item must exist. */
    public RecoveryPlan put(RecoveryPlan plan) {
        for (ItemId item : plan.items()) {
            protection.item(item);
        }
        store.plans().put(plan);
        return plan;
    }

    public RecoveryPlan get(PlanId id) {
        return store.plans().get(id).orElseThrow(() -> new BoomerangException(ControlError.PLAN_NOT_FOUND,
                "no recovery plan " + id, "list plans with 'boomerang plans list'"));
    }

    public List<RecoveryPlan> list() {
        return store.plans().list();
    }

    public void delete(PlanId id) {
        get(id);
        store.plans().delete(id);
    }

    /**
     * Runs a plan operation. It is refused while another operation of the plan runs
     * ({@code PLAN_BUSY}) or any of its items is held by an operation ({@code ITEM_BUSY}), when an
     * item's state does not allow the operation ({@code ILLEGAL_TRANSITION}, naming the legal
     * actions; a failback needs every item reverse-protected), and until every machine of the plan
     * has a recovery point when the operation needs one (FB-16). Accepted, it claims every item of
     * the plan for its job (see {@link ProtectionService#claimForPlan}), so of two racing requests
     * exactly one gets a job.
     */
    public synchronized Job run(PlanId id, PlanOperation operation, Optional<PointRequest> point) {
        RecoveryPlan plan = get(id);
        for (Job other : store.jobs().list()) {
            if (other.kind() == JobKind.PLAN_OPERATION && other.request().target().equals(id.value()) && !other.state().isTerminal()) {
                throw new BoomerangException(ControlError.PLAN_BUSY,
                        "plan " + id + " is busy: " + other.request().describe() + " (job " + other.id() + ") is " + other.state().name().toLowerCase(java.util.Locale.ROOT),
                        "wait for that job to finish (or cancel it: 'boomerang jobs cancel " + other.id() + "'), then retry");
            }
        }
        List<ItemId> items = plan.items().stream().distinct().toList();
        if (operation == PlanOperation.FAILBACK) {
            for (ItemId item : items) {
                ItemState state = protection.item(item).state();
                if (state != ItemState.REVERSE_PROTECTED) {
                    throw new BoomerangException(ControlError.ILLEGAL_TRANSITION,
                            "cannot fail back plan " + id + ": item " + item + " is " + state.label() + ", not reverse-protected",
                            "a failback needs every item of the plan reverse-protected: fail over, commit and reprotect first");
                }
            }
        }
        if (operation == PlanOperation.FAILBACK || operation.needsPoint()) {
            Map<ItemId, List<MachinePoint>> pts = new LinkedHashMap<>();
            for (ItemId item : plan.items()) {
                pts.put(item, protection.points(item));
            }
            List<ItemId> missing = RecoveryPointSelector.withoutPoints(pts);
            if (!missing.isEmpty()) {
                throw FailbackRule.FB_16_NO_RECOVERY_POINT.refuse(
                        "plan " + id + " cannot " + operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                                + ": items " + missing + " have no recovery point yet",
                        "wait until every machine of the plan has its first recovery point, then retry");
            }
        }
        PointRequest p = operation.needsPoint() ? point.orElse(PointRequest.LATEST_PROCESSED) : null;
        return start(new PlanJobRequest(plan, operation, Optional.ofNullable(p)), Optional.empty());
    }

    private synchronized JobId restart(Job failed) {
        return start((PlanJobRequest) failed.request(), Optional.of(failed.id())).id();
    }

    /** Claims the plan's items for a new job id, then writes and submits the job. */
    private Job start(PlanJobRequest request, Optional<JobId> restartOf) {
        JobId id = JobId.random();
        protection.claimForPlan(request.plan().items().stream().distinct().toList(), request.operation().itemOperation(), id);
        Job job = Job.queued(id, request, clock.now(), Optional.empty(), restartOf);
        store.jobs().create(job);
        store.jobs().appendLog(job.id(), clock.now(), "requested: " + request.describe());
        runner.submit(job.id());
        return job;
    }
}
