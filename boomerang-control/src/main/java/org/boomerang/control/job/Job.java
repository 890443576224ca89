package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One durable operation. The request is what was asked; state, progress and error are what
 * happened. {@code leaseOwner}/{@code leaseUntil} name the control server running it: a job is run
 * only by the holder of an unexpired lease, so two servers on one database never run it twice.
 * {@code version} guards updates (optimistic concurrency); leases and cancel requests are written
 * by their own conditional updates and do not bump it.
 */
public record Job(
        JobId id,
        JobRequest request,
        JobState state,
        JobProgress progress,
        Optional<JobError> error,
        Instant createdAt,
        Instant updatedAt,
        Optional<String> leaseOwner,
        Optional<Instant> leaseUntil,
        boolean cancelRequested,
        Optional<JobId> parent,
        Optional<JobId> restartOf,
        long version) {
    public Job {
        requireNonNull(id, "id is null");
        requireNonNull(request, "request is null");
        requireNonNull(state, "state is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(error, "error is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(leaseOwner, "leaseOwner is null");
        requireNonNull(leaseUntil, "leaseUntil is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(restartOf, "restartOf is null");
    }

    public static Job queued(JobId id, JobRequest request, Instant now, Optional<JobId> parent, Optional<JobId> restartOf) {
        return new Job(id, request, JobState.QUEUED, JobProgress.NONE, Optional.empty(), now, now, Optional.empty(),
                Optional.empty(), false, parent, restartOf, 0);
    }

    public JobKind kind() {
        return request.kind();
    }

    public Job withState(JobState s, Instant now) {
        return new Job(id, request, s, progress, error, createdAt, now, leaseOwner, leaseUntil, cancelRequested,
                parent, restartOf, version);
    }

    public Job withProgress(JobProgress p, Instant now) {
        return new Job(id, request, state, p, error, createdAt, now, leaseOwner, leaseUntil, cancelRequested, parent,
                restartOf, version);
    }

    public Job withError(Optional<JobError> e, Instant now) {
        return new Job(id, request, state, progress, e, createdAt, now, leaseOwner, leaseUntil, cancelRequested,
                parent, restartOf, version);
    }
}
