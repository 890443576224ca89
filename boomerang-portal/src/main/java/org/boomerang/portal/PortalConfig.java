package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a portal session lives: it ends after {@code idle} without a request, and after
 * {@code maxAge} in any case.
 */
public record PortalConfig(Duration idle, Duration maxAge) {
    public PortalConfig {
        requireNonNull(idle, "idle is null");
        requireNonNull(maxAge, "maxAge is null");
        if (idle.isNegative() || idle.isZero() || maxAge.compareTo(idle) < 0) {
            throw new IllegalArgumentException("need 0 < idle <= maxAge, got idle " + idle + ", maxAge " + maxAge);
        }
    }

    /** 30 idle minutes, 12 hours at most. */
    public static PortalConfig defaults() {
        return new PortalConfig(Duration.ofMinutes(30), Duration.ofHours(12));
    }
}
