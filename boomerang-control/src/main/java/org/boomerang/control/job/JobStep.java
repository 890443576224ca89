package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The durable record of one step of a job: its request id, state and a detail line (result or error). */
public record JobStep(JobId job, int index, String name, RequestId requestId, StepState state, String detail, Instant updatedAt) {
    public JobStep {
        requireNonNull(job, "job is null");
        requireNonNull(name, "name is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(state, "state is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    public JobStep with(StepState s, String d, Instant now) {
        return new JobStep(job, index, name, requestId, s, d, now);
    }
}
