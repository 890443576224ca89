package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A master target: a machine on {@code host} at {@code site} that writes replicas (FB-5, FB-11, FB-14). */
public record MasterTargetView(String machine, String site, String host) {
    /** {@code PUT /api/v1/master-targets/{machine}}: register a master target. */
    public record Request(@JsonProperty(required = true) String site, @JsonProperty(required = true) String host) {}
}
