package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlError;
import org.boomerang.control.store.JobStore;

/** The jobs facade for the API: list, show, log, cancel, resume a paused job, restart a failed one. Thread-safe. */
public final class JobService {
    private final JobStore store;
    private final JobHandlers handlers;
    private final JobRunner runner;
    private final Clock clock;

    public JobService(JobStore store, JobHandlers handlers, JobRunner runner, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.handlers = requireNonNull(handlers, "handlers is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Job> list() {
        return store.list();
    }

    public Job get(JobId id) {
        return store.get(id).orElseThrow(() -> new BoomerangException(ControlError.JOB_NOT_FOUND,
                "no job " + id, "list jobs with 'boomerang jobs list'"));
    }

    public List<JobStep> steps(JobId id) {
        get(id);
        return store.steps(id);
    }

    public List<JobLogEntry> log(JobId id) {
        get(id);
        return store.log(id);
    }

    /** Asks a running, queued or paused job to stop; its done steps are compensated. */
    public Job cancel(JobId id) {
        Job job = get(id);
        if (job.state().isTerminal() || !handlers.of(job.kind()).cancellable(job)) {
            throw new BoomerangException(ControlError.JOB_NOT_CANCELLABLE,
                    "job " + id + " (" + job.request().describe() + ") cannot be cancelled: it is " + job.state(),
                    job.state().isTerminal() ? "it has already ended" : "wait for it to finish, then undo it with the opposite operation");
        }
        store.requestCancel(id);
        if (job.state() == JobState.WAITING_FOR_OPERATOR) {
            requeue(job);
        }
        runner.submit(id);
        return get(id);
    }

    /** Resumes a job paused at a manual step: the step counts as done and the job carries on. */
    public Job resume(JobId id) {
        Job job = get(id);
        if (job.state() != JobState.WAITING_FOR_OPERATOR) {
            throw new BoomerangException(ControlError.JOB_NOT_WAITING,
                    "job " + id + " is not waiting for an operator: it is " + job.state(),
                    "only a job paused at a manual step can be resumed");
        }
        for (JobStep s : store.steps(id)) {
            if (s.state() == StepState.WAITING) {
                store.putStep(s.with(StepState.DONE, "resumed by an operator", clock.now()));
            }
        }
        store.appendLog(id, clock.now(), "resumed by an operator");
        requeue(job);
        runner.submit(id);
        return get(id);
    }

    /** Starts a new job repeating a failed or cancelled one. */
    public Job restart(JobId id) {
        Job job = get(id);
        if (job.state() != JobState.FAILED && job.state() != JobState.CANCELLED) {
            throw new BoomerangException(ControlError.JOB_NOT_RESTARTABLE,
                    "job " + id + " is " + job.state() + "; only a failed or cancelled job can be restarted",
                    "wait for it to end");
        }
        return get(handlers.of(job.kind()).restart(job));
    }

    private void requeue(Job job) {
        Job fresh = get(job.id());
        store.update(fresh.withState(JobState.QUEUED, clock.now()));
    }
}
