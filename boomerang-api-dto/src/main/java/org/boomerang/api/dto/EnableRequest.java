package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/items}: protect a machine. {@code machine} is the machine id at the primary
 * site, {@code policy} the replication policy; the rest is optional (the server picks defaults).
 */
public record EnableRequest(
        @JsonProperty(required = true) String machine,
        @JsonProperty(required = true) String policy,
        String id,
        String group,
        String primarySite,
        String recoverySite,
        String processServer) {}
