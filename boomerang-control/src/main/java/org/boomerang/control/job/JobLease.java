package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A runner's lease on a job, as the job store granted it: who holds it, its epoch and until when.
 * Every acquisition of a job's lease (by any server, also the same one after a restart) gets a higher
 * epoch than every one before it; a renewal keeps it. Lease times are the database's clock, never a
 * server's, so servers with skewed clocks agree on when a lease expires. The epoch travels with the
 * job's data-plane calls, so the data plane refuses a server that lost the lease and does not know yet.
 */
public record JobLease(JobId job, String owner, long epoch, Instant until) {
    public JobLease {
        requireNonNull(job, "job is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(until, "until is null");
        if (epoch < 1) {
            throw new IllegalArgumentException("a lease epoch starts at 1: " + epoch);
        }
    }
}
