package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobRequest;

/** A job request for a plan operation, with the plan as it was when the job started. */
public record PlanJobRequest(RecoveryPlan plan, PlanOperation operation, Optional<PointRequest> point) implements JobRequest {
    public PlanJobRequest {
        requireNonNull(plan, "plan is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(point, "point is null");
    }

    @Override
    public JobKind kind() {
        return JobKind.PLAN_OPERATION;
    }

    @Override
    public String target() {
        return plan.id().value();
    }

    @Override
    public String describe() {
        return operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " of plan " + plan.id()
                + point.map(p -> " at " + p).orElse("");
    }
}
