package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /api/v1/process-servers/{id}}: register a process server. */
public record ProcessServerRequest(@JsonProperty(required = true) String site, @JsonProperty(required = true) String address) {}
