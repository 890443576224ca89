package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

/**
 * The identity of a recovery point of a pair, as the data plane lists it (a marker's point id).
 */
public record PointId(String value) {
    public PointId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("point id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
