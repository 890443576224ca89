package org.boomerang.api.dto;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/jobs/{id}}: the job, its durable steps and its log. */
public record JobDetails(JobView job, List<Step> steps, List<LogLine> log) {
    /** One durable step: its request id makes a replay after a restart safe. */
    public record Step(int index, String name, String requestId, StepStateView state, String detail, Instant updatedAt) {}

    /** One line of the job's log. */
    public record LogLine(long sequence, Instant at, String message) {}
}
