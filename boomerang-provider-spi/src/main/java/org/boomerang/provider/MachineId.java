package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

/** The identity of a machine inside a site provider's inventory; stable across discoveries. */
public record MachineId(String value) {
    public MachineId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("machine id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
