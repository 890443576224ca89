package org.boomerang.api.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.api.dto.Role;

/** One line of the token file: the token's id, role, hash and label, never its secret. */
public record StoredToken(String id, Role role, String hash, Instant createdAt, String label) {
    public StoredToken {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(createdAt, "createdAt is null");
        label = label == null ? "" : label;
    }
}
