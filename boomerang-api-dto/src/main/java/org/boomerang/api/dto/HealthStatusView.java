package org.boomerang.api.dto;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Whether the server, or one thing it depends on, is up, on the wire ({@code Health.status},
 * {@code Health.HealthCheck.status}), published as an enum in the OpenAPI document.
 *
 * <p>Values a newer server may add: a client reads one it does not know as {@link #UNKNOWN} and
 * treats it as not up. The server never sends {@code UNKNOWN}.
 */
public enum HealthStatusView {
    UP,
    DOWN,
    /** Client side only: a status this client does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN;

    /** {@code UP} when {@code up}, else {@code DOWN}. */
    public static HealthStatusView of(boolean up) {
        return up ? UP : DOWN;
    }
}
