package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One row of the lifecycle table: {@code operation} is legal in {@code from}; while its job runs the
 * item may pass through {@code during}; on success it is in {@code to}; on failure back in {@code from}.
 */
public record Transition(ItemState from, Operation operation, Optional<ItemState> during, ItemState to) {
    public Transition {
        requireNonNull(from, "from is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(during, "during is null");
        requireNonNull(to, "to is null");
    }

    /** A failover out of REVERSE_PROTECTED is a failback. */
    public boolean isFailback() {
        return operation.isFailover() && from == ItemState.REVERSE_PROTECTED;
    }
}
