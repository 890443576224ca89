package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How an item is replicated: the RPO threshold that raises a health warning, how long recovery
 * points are kept, how often crash- and app-consistent points are taken, and whether the machines
 * of a replication group get common (multi-VM) consistent points.
 */
public record ReplicationPolicy(
        PolicyId id,
        String name,
        Duration rpoThreshold,
        Duration retention,
        Duration crashConsistentEvery,
        Duration appConsistentEvery,
        boolean multiVmSync) {
    public ReplicationPolicy {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(rpoThreshold, "rpoThreshold is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(crashConsistentEvery, "crashConsistentEvery is null");
        requireNonNull(appConsistentEvery, "appConsistentEvery is null");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
    }
}
