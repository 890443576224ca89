package org.boomerang.api.dto;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job: the durable run of one operation. {@code kind} is a {@link JobKindView}, {@code state} a
 * {@link JobStateView} (a newer server may add values to both: see there); {@code terminal} says whether it can still change.
 */
public record JobView(
        String id,
        JobKindView kind,
        String target,
        String description,
        JobStateView state,
        boolean terminal,
        int percent,
        String step,
        long bytesDone,
        long bytesTotal,
        @Nullable ErrorView error,
        boolean cancelRequested,
        @Nullable String parent,
        @Nullable String restartOf,
        Instant createdAt,
        Instant updatedAt) {}
