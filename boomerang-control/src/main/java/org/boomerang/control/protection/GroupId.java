package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

/** The identity of a replication group. */
public record GroupId(String value) {
    public GroupId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("group id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
