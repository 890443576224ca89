package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/tokens}: a new token of {@code role}; {@code label} says whose it is. */
public record CreateTokenRequest(@JsonProperty(required = true) Role role, String label) {}
