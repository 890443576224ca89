package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

/** The identity of a datastore inside a site provider's inventory; stable across discoveries. */
public record DatastoreId(String value) {
    public DatastoreId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("datastore id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
