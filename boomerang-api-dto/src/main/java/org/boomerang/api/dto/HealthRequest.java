package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /api/v1/items/{id}/health}: record replication health as the data plane reports it (FB-12). */
public record HealthRequest(@JsonProperty(required = true) Level health) {
    /** OK, WARNING or CRITICAL. */
    public enum Level {
        OK,
        WARNING,
        CRITICAL
    }
}
