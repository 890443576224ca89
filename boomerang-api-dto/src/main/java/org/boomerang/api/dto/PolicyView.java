package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A replication policy. Durations are whole seconds: the RPO above which an item's health warns
 * (0: any write not yet durable at the replica),
 * how long recovery points are kept, how often crash- and app-consistent points are taken; and
 * whether the machines of a replication group get common (multi-VM) points.
 */
public record PolicyView(
        String id,
        String name,
        long rpoThresholdSeconds,
        long retentionSeconds,
        long crashConsistentEverySeconds,
        long appConsistentEverySeconds,
        boolean multiVmSync) {
    /** {@code PUT /api/v1/policies/{id}}: create or replace a policy. */
    public record Request(
            @JsonProperty(required = true) String name,
            @JsonProperty(required = true) Long rpoThresholdSeconds,
            @JsonProperty(required = true) Long retentionSeconds,
            @JsonProperty(required = true) Long crashConsistentEverySeconds,
            @JsonProperty(required = true) Long appConsistentEverySeconds,
            @JsonProperty(required = true) Boolean multiVmSync) {}
}
