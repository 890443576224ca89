package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

/**
 * One reason an item's health is not OK: a stable {@code code} (see {@link ItemHealth}), the
 * {@code severity} it gives the item, and a message that says what is wrong and what to do.
 */
public record HealthCondition(String code, Health severity, String message) {
    public HealthCondition {
        requireNonNull(code, "code is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(message, "message is null");
        if (severity == Health.OK) {
            throw new IllegalArgumentException("a condition is a WARNING or CRITICAL: " + code);
        }
    }

    /** True for the conditions an operator is alerted to: the RPO over the policy's threshold, a role unreachable, a failed pair. */
    public boolean alerts() {
        return code.equals(ItemHealth.RPO_EXCEEDED) || code.equals(ItemHealth.ROLE_UNREACHABLE) || code.equals(ItemHealth.REPLICATION_ERROR);
    }
}
