package org.boomerang.control.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobId;
import org.boomerang.control.job.JobLease;
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
     * Acquires the lease of a job for {@code owner} for {@code length} from the database's clock, if the
     * job is not terminal and the lease is free, expired on the database's clock, or already
     * {@code owner}'s; the lease gets the next epoch of the job. Atomic: of two servers racing for one job,
     * exactly one gets it. Empty when the job is not to be had.
     */
    Optional<JobLease> acquireLease(JobId id, String owner, Duration length);

    /**
     * Acquires the lease of an unfinished job whoever holds it (a server that is its database's only
     * user takes its dead predecessors' jobs at start), with the next epoch.
     */
    Optional<JobLease> seizeLease(JobId id, String owner, Duration length);

    /**
     * Extends {@code lease} to {@code length} from the database's clock if it is still the job's lease
     * (same owner and epoch: nobody acquired the job since); empty when it was lost.
     */
    Optional<JobLease> renewLease(JobLease lease, Duration length);

    /** True when {@code lease} is the job's lease now and has not expired on the database's clock. */
    boolean holds(JobLease lease);

    /** Gives up {@code lease} if it is still the job's lease. */
    void releaseLease(JobLease lease);

    /** Marks the job as asked to cancel. */
    void requestCancel(JobId id);

    /**
     * What runner {@code owner} may pick up now: jobs that are queued, running or cancelling (not waiting
     * for an operator) whose lease is free, expired on the database's clock, or {@code owner}'s own (a
     * restarted server takes its jobs back at once), oldest first.
     */
    List<JobId> runnable(String owner);

    /** Every job that is queued, running or cancelling (not waiting for an operator), whoever leases it, oldest first. */
    List<JobId> unfinished();

    List<JobStep> steps(JobId job);

    /** Inserts or replaces the step with the same job and index. */
    void putStep(JobStep step);

    void appendLog(JobId job, Instant at, String message);

    List<JobLogEntry> log(JobId job);
}
