package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

/** The identity of a site (e.g. {@code primary}, {@code recovery}). */
public record SiteId(String value) {
    public SiteId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("site id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
