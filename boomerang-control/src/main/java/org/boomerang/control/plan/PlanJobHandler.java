package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.ControlError;
import org.boomerang.control.failback.ReprotectRequest;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobHandler;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.NamedStep;
import org.boomerang.control.job.Step;
import org.boomerang.control.job.StepContext;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.control.store.JobStore;

/**
 * Runs a plan operation: group after group, each as pre actions, then one step that starts the
 * item operation of every item of the group as a child job (they run in parallel) and waits for
 * all of them, then post actions. Child job ids derive from the plan job's id, so a plan job
 * resumed after a restart finds its children instead of starting them twice.
 */
final class PlanJobHandler implements JobHandler {
    private static final long CHILD_POLL_MILLIS = 25;

    private final ProtectionService protection;
    private final JobStore jobs;
    private final Function<Job, JobId> restarter;

    PlanJobHandler(ProtectionService protection, JobStore jobs, Function<Job, JobId> restarter) {
        this.protection = requireNonNull(protection, "protection is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.restarter = requireNonNull(restarter, "restarter is null");
    }

    @Override
    public List<Step> steps(Job job) {
        PlanJobRequest r = (PlanJobRequest) job.request();
        List<Step> steps = new ArrayList<>();
        for (PlanGroup g : r.plan().groups()) {
            int i = 0;
            for (PlanAction a : g.pre()) {
                steps.add(action(r, g, "pre " + (++i), a));
            }
            steps.add(NamedStep.of("group " + g.name() + ": " + r.operation().itemOperation().label() + " of " + g.items().size()
                    + " item(s)", ctx -> runGroup(r, g, ctx)));
            i = 0;
            for (PlanAction a : g.post()) {
                steps.add(action(r, g, "post " + (++i), a));
            }
        }
        return steps;
    }

    private Step action(PlanJobRequest r, PlanGroup g, String label, PlanAction a) {
        return NamedStep.of("group " + g.name() + " " + label + ": " + a.describe(), ctx -> {
            switch (a) {
                case ScriptAction s -> ScriptRunner.run(s, Map.of(
                        "BOOMERANG_REQUEST_ID", ctx.requestId().text(),
                        "BOOMERANG_PLAN", r.plan().id().value(),
                        "BOOMERANG_GROUP", g.name(),
                        "BOOMERANG_OPERATION", r.operation().name()), ctx);
                case ManualAction m -> ctx.waitForOperator(m.instruction());
            }
        });
    }

    private void runGroup(PlanJobRequest r, PlanGroup g, StepContext ctx) {
        JobId parent = ctx.job().id();
        List<JobId> children = new ArrayList<>();
        for (ItemId item : g.items()) {
            Optional<ReprotectRequest> reprotect = r.operation() == PlanOperation.REPROTECT
                    ? Optional.of(ReprotectRequest.defaults(item)) : Optional.empty();
            Optional<org.boomerang.control.failback.PointRequest> point = r.operation().needsPoint() ? r.point() : Optional.empty();
            Job child = protection.beginChild(item, r.operation().itemOperation(), point, reprotect, parent);
            ctx.log("item " + item + ": job " + child.id());
            children.add(child.id());
        }
        List<String> failed = new ArrayList<>();
        for (JobId id : children) {
            Job done = await(id);
            if (done.state() != JobState.SUCCEEDED) {
                failed.add(done.request().target() + " (" + done.state()
                        + done.error().map(e -> ": " + e.code() + " " + e.message()).orElse("") + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new BoomerangException(ControlError.STEP_FAILED,
                    "group " + g.name() + ": " + failed.size() + " of " + children.size() + " item(s) failed: " + String.join("; ", failed),
                    "fix the items' errors (see their jobs), then restart the plan job; items that succeeded are skipped by their state");
        }
    }

    private Job await(JobId id) {
        while (true) {
            Job j = jobs.get(id).orElseThrow();
            if (j.state().isTerminal()) {
                return j;
            }
            try {
                Thread.sleep(CHILD_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoomerangException(ControlError.STEP_FAILED, "interrupted while waiting for job " + id,
                        "the control server is stopping; the plan job resumes after restart");
            }
        }
    }

    @Override
    public void succeeded(Job job) {
        release(job);
    }

    @Override
    public void failed(Job job, BoomerangException error) {
        release(job);
    }

    @Override
    public void cancelled(Job job) {
        release(job);
    }

    /** Frees the items the plan job claimed and no child took over (groups not reached). */
    private void release(Job job) {
        protection.releasePlanClaims(((PlanJobRequest) job.request()).plan().items().stream().distinct().toList(), job.id());
    }

    @Override
    public boolean cancellable(Job job) {
        return true;
    }

    @Override
    public JobId restart(Job failed) {
        return restarter.apply(failed);
    }
}
