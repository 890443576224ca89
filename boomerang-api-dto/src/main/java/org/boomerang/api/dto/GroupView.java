package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A replication group: machines recovered to one common consistent point. */
public record GroupView(String id, String name) {
    /** {@code PUT /api/v1/groups/{id}}. */
    public record Request(@JsonProperty(required = true) String name) {}
}
