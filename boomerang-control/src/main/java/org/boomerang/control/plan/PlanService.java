package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlError;
import org.boomerang.control.dataplane.RecoveryPoint;
import org.boomerang.control.failback.FailbackRule;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.RecoveryPointSelector;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobHandlers;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobRunner;
import org.boomerang.control.protection.ItemId;
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
     * Runs a plan operation. A failback is refused until every machine of the plan has a recovery
     * point (FB-16), naming the ones that have none.
     */
    public Job run(PlanId id, PlanOperation operation, Optional<PointRequest> point) {
        RecoveryPlan plan = get(id);
        if (operation == PlanOperation.FAILBACK || operation.needsPoint()) {
            Map<ItemId, List<RecoveryPoint>> pts = new LinkedHashMap<>();
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

    private JobId restart(Job failed) {
        return start((PlanJobRequest) failed.request(), Optional.of(failed.id())).id();
    }

    private Job start(PlanJobRequest request, Optional<JobId> restartOf) {
        Job job = Job.queued(JobId.random(), request, clock.now(), Optional.empty(), restartOf);
        store.jobs().create(job);
        store.jobs().appendLog(job.id(), clock.now(), "requested: " + request.describe());
        runner.submit(job.id());
        return job;
    }
}
