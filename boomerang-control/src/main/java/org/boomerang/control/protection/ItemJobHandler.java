package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobHandler;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.Step;

/**
 * Runs item operations: steps from {@link ItemSteps}; success puts the item into the transition's
 * target state (its health is then measured from replication facts, never assumed OK); failure or
 * cancel puts it back into the state it started from, with the error (SPEC §3: operations are retryable).
 */
final class ItemJobHandler implements JobHandler {
    private final ItemSteps steps;
    private final Function<Job, JobId> restarter;
    private final org.boomerang.common.Clock clock;

    ItemJobHandler(ItemSteps steps, Function<Job, JobId> restarter, org.boomerang.common.Clock clock) {
        this.steps = requireNonNull(steps, "steps is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.restarter = requireNonNull(restarter, "restarter is null");
    }

    @Override
    public List<Step> steps(Job job) {
        return steps.steps(request(job));
    }

    @Override
    public void succeeded(Job job) {
        ItemJobRequest r = request(job);
        Transition t = Lifecycle.find(r.from(), r.operation()).orElseThrow();
        steps.update(r.item(), b -> {
            b.state(t.to()).active(Optional.empty()).lastError(Optional.empty());
            ProtectedItem current = b.build();
            if (r.operation().isFailover()) {
                b.autoResolution(current.autoResolution().map(a -> a.startingAt(clock.now())));
            }
            return b;
        });
    }

    @Override
    public void failed(Job job, BoomerangException error) {
        ItemJobRequest r = request(job);
        steps.update(r.item(), b -> b.state(r.from()).active(Optional.empty()).autoResolution(keepUnlessFailover(r, b))
                .lastError(Optional.of(ItemError.of(error))));
    }

    @Override
    public void cancelled(Job job) {
        ItemJobRequest r = request(job);
        steps.update(r.item(), b -> b.state(r.from()).active(Optional.empty()).autoResolution(keepUnlessFailover(r, b)));
    }

    /** A failed or cancelled failover drops its auto-resolution; a failed commit or cancel keeps the one it was meant to end. */
    private static Optional<AutoResolution> keepUnlessFailover(ItemJobRequest r, ProtectedItem.Builder b) {
        return r.operation().isFailover() ? Optional.empty() : b.build().autoResolution();
    }

    @Override
    public boolean cancellable(Job job) {
        return request(job).operation().cancellable();
    }

    @Override
    public JobId restart(Job failed) {
        return restarter.apply(failed);
    }

    private static ItemJobRequest request(Job job) {
        return (ItemJobRequest) job.request();
    }
}
