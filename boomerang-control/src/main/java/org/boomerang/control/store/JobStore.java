package org.boomerang.control.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobLogEntry;
import org.boomerang.control.job.JobStep;

/**
 * Jobs, their durable steps and their logs. Thread-safe; every method is one atomic change.
 * Failures are {@code BoomerangException(STORE_FAILED)}.
 */
public interface JobStore {
    /** Inserts a job; returns false (and changes nothing) when a job with that id exists already. */
    boolean create(Job job);

    Optional<Job> get(JobId id);

    /** All jobs, newest first. */
    List<Job> list();

    /** Jobs with this parent (the item jobs of a plan job), oldest first. */
    List<Job> children(JobId parent);

    /**
     * Writes state, progress and error of {@code job} if the stored version still equals
     * {@code job.version()}; returns the job with the new version. Throws {@code CONCURRENT_UPDATE}
     * otherwise. Lease and cancel-request columns are left as they are.
     */
    Job update(Job job);

    /**
     * Takes or renews the lease of a job for {@code owner} until {@code until}, if the job is not
     * terminal and the lease is free, expired at {@code now}, or already {@code owner}'s. Atomic:
     * of two servers racing for one job, exactly one gets it.
     */
    boolean tryLease(JobId id, String owner, Instant until, Instant now);

    /** Gives up the lease if {@code owner} holds it. */
    void releaseLease(JobId id, String owner);

    /** Marks the job as asked to cancel. */
    void requestCancel(JobId id);

    /**
     * What runner {@code owner} may pick up at {@code now}: jobs that are queued, running or
     * cancelling (not waiting for an operator) whose lease is free, expired, or {@code owner}'s own
     * (a restarted server takes its jobs back at once), oldest first.
     */
    List<JobId> runnable(Instant now, String owner);

    List<JobStep> steps(JobId job);

    /** Inserts or replaces the step with the same job and index. */
    void putStep(JobStep step);

    void appendLog(JobId job, Instant at, String message);

    List<JobLogEntry> log(JobId job);
}
