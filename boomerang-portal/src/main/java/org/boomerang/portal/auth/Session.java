package org.boomerang.portal.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.api.dto.Role;

/**
 * A signed-in browser: which API token signed in (its id and role, never its text), the CSRF token
 * every form that changes something must carry, and when it started and was last used.
 */
public record Session(String id, String tokenId, String tokenHash, Role role, String label, String csrf,
        Instant createdAt, Instant lastSeen) {
    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(role, "role is null");
        requireNonNull(label, "label is null");
        requireNonNull(csrf, "csrf is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastSeen, "lastSeen is null");
    }

    Session seenAt(Instant now) {
        return new Session(id, tokenId, tokenHash, role, label, csrf, createdAt, now);
    }

    /** True when the token's role includes {@code needed}. */
    public boolean may(Role needed) {
        return role.includes(needed);
    }

    @Override
    public String toString() {
        return "Session[token=" + tokenId + ", role=" + role.label() + "]";
    }
}
