package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import org.boomerang.control.job.JobId;

/** The operation an item is undergoing now (the request, RamenDR's spec), and the job that carries it. */
public record ActiveOperation(Operation operation, JobId job) {
    public ActiveOperation {
        requireNonNull(operation, "operation is null");
        requireNonNull(job, "job is null");
    }
}
