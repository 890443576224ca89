package org.boomerang.control.plan;

import static java.util.Objects.requireNonNull;

/** The identity of a recovery plan. */
public record PlanId(String value) {
    public PlanId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("plan id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
