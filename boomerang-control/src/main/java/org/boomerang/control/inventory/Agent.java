package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.provider.MachineId;

/** The agent of a machine: when it registered and when it was last heard from (FB-21). */
public record Agent(MachineId machine, Instant registeredAt, Instant lastHeartbeat) {
    public Agent {
        requireNonNull(machine, "machine is null");
        requireNonNull(registeredAt, "registeredAt is null");
        requireNonNull(lastHeartbeat, "lastHeartbeat is null");
    }
}
