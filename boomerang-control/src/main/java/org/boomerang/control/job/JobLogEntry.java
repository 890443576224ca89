package org.boomerang.control.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One line of a job's log. */
public record JobLogEntry(JobId job, long sequence, Instant at, String message) {
    public JobLogEntry {
        requireNonNull(job, "job is null");
        requireNonNull(at, "at is null");
        requireNonNull(message, "message is null");
    }
}
