package org.boomerang.api.dto;

import java.time.Instant;

/**
 * A job: the durable run of one operation. {@code state} is one of {@code QUEUED}, {@code RUNNING},
 * {@code WAITING_FOR_OPERATOR}, {@code CANCELLING}, {@code SUCCEEDED}, {@code FAILED},
 * {@code CANCELLED}; {@code terminal} says whether it can still change.
 */
public record JobView(
        String id,
        String kind,
        String target,
        String description,
        String state,
        boolean terminal,
        int percent,
        String step,
        long bytesDone,
        long bytesTotal,
        ErrorView error,
        boolean cancelRequested,
        String parent,
        String restartOf,
        Instant createdAt,
        Instant updatedAt) {}
