package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Names a recovery point ({@code change-point}); see {@link FailoverRequest} for the names. */
public record PointRequest(@JsonProperty(required = true) String point) {}
