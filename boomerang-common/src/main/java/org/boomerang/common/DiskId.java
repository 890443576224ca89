package org.boomerang.common;

import static java.util.Objects.requireNonNull;

/** The identity of one protected disk; the same on both sites. */
public record DiskId(String value) {
    public DiskId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("disk id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
