package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

/** The identity of a host inside a site provider's inventory; stable across discoveries. */
public record HostId(String value) {
    public HostId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("host id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
