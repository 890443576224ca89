package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

/** The identity of a protected item. */
public record ItemId(String value) {
    public ItemId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
