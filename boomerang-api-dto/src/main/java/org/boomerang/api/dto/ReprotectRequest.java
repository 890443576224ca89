package org.boomerang.api.dto;

/**
 * Reprotect: start replication in the reverse direction. Every field is optional; the server
 * chooses: {@code location} {@code ORIGINAL} when the on-prem machine still exists (else
 * {@code ALTERNATE}, always for physical servers), the first master target of the target site,
 * the item's process server. {@code datastore} is needed for {@code ALTERNATE} (FB-7, FB-8).
 * {@code retention}: how long the new replica keeps recovery points, a duration such as {@code 12h},
 * {@code 3d} or {@code PT36H} (default: the item's policy's retention); the item records it.
 */
public record ReprotectRequest(Location location, String processServer, String masterTarget, String datastore, String retention) {
    /** Original location recovery (only changes travel) or alternate location recovery (full copy). */
    public enum Location {
        ORIGINAL,
        ALTERNATE
    }
}
