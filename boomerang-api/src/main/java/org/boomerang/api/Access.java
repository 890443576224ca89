package org.boomerang.api;

import org.boomerang.api.dto.Role;

/**
 * Who may call a route. Every route declares one; the route table checks it before the handler
 * runs and writes it into {@code /openapi.json} ({@code x-boomerang-role}).
 */
public enum Access {
    /** Anyone, without a token: {@code /health} and {@code /openapi.json} only. */
    PUBLIC,
    /** Any valid token. */
    READER,
    /** An operator or admin token: operations that change protection state. */
    OPERATOR,
    /** An admin token: tokens, policies, inventory changes. */
    ADMIN;

    /** The least role a token must have; empty for {@link #PUBLIC}. */
    public java.util.Optional<Role> role() {
        return switch (this) {
            case PUBLIC -> java.util.Optional.empty();
            case READER -> java.util.Optional.of(Role.READER);
            case OPERATOR -> java.util.Optional.of(Role.OPERATOR);
            case ADMIN -> java.util.Optional.of(Role.ADMIN);
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
