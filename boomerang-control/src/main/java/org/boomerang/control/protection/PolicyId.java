package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

/** The identity of a replication policy. */
public record PolicyId(String value) {
    public PolicyId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("policy id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
