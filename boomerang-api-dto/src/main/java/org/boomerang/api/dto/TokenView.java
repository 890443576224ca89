package org.boomerang.api.dto;

import java.time.Instant;

/** An API token as the server shows it: never the secret, only its id, role and label. */
public record TokenView(String id, Role role, String label, Instant createdAt) {}
