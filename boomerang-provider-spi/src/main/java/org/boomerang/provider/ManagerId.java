package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

/** The identity of a manager inside a site provider's inventory; stable across discoveries. */
public record ManagerId(String value) {
    public ManagerId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("manager id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
