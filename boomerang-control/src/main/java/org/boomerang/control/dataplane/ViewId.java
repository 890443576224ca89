package org.boomerang.control.dataplane;

import static java.util.Objects.requireNonNull;

/**
 * The identity of a failover view (a point-in-time view plus its writable overlay), as the data plane named
 * it when it opened the view.
 */
public record ViewId(String value) {
    public ViewId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("view id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
