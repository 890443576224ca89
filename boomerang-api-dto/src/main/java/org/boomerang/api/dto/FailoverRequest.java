package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A failover of an item or plan ({@code POST …/failover}). {@code type} is {@code PLANNED} (the
 * source is shut down and drained first, nothing is lost) or {@code UNPLANNED} (the source is gone).
 * {@code point} names the recovery point: {@code latest}, {@code latest-processed} (the default),
 * {@code latest-app-consistent}, a point id or {@code lsn:N}. A failover of a reverse-protected item
 * is a failback.
 */
public record FailoverRequest(@JsonProperty(required = true) FailoverType type, String point) {
    /** Planned or unplanned. */
    public enum FailoverType {
        PLANNED,
        UNPLANNED
    }
}
