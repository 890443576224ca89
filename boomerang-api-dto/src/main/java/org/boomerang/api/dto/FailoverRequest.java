package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A failover of an item or plan ({@code POST …/failover}). {@code type} is {@code PLANNED} (the
 * source is shut down and drained first, nothing is lost) or {@code UNPLANNED} (the source is gone).
 * {@code point} names the recovery point: {@code latest}, {@code latest-processed} (the default),
 * {@code latest-app-consistent}, a point id or {@code lsn:N}. A failover of a reverse-protected item
 * is a failback. {@code confirmSourceUnreachable} (items only, unplanned only; default false) is the
 * operator's word that the source cannot be reached: an unplanned failback whose recovery-site machine
 * cannot be shut down and seen unserved stops with FB-17 unless it is given, and then leaves that
 * machine fenced as it is.
 */
public record FailoverRequest(@JsonProperty(required = true) FailoverType type, String point, Boolean confirmSourceUnreachable) {
    /** A failover that confirms nothing about an unreachable source. */
    public FailoverRequest(FailoverType type, String point) {
        this(type, point, null);
    }

    /** True when the operator confirmed that the source cannot be reached. */
    public boolean sourceUnreachableConfirmed() {
        return Boolean.TRUE.equals(confirmSourceUnreachable);
    }

    /** Planned or unplanned. */
    public enum FailoverType {
        PLANNED,
        UNPLANNED
    }
}
