package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A hypervisor manager (the seed's vCenter): address, hypervisor type, connection state, and when
 * it was first added to the control server (FB-3: one added later is never a failback target).
 */
public record HypervisorManager(
        ManagerId id, String address, HypervisorType type, ConnectionState connection, Instant addedAt) {
    public HypervisorManager {
        requireNonNull(id, "id is null");
        requireNonNull(address, "address is null");
        requireNonNull(type, "type is null");
        requireNonNull(connection, "connection is null");
        requireNonNull(addedAt, "addedAt is null");
    }

    public HypervisorManager withConnection(ConnectionState state) {
        return new HypervisorManager(id, address, type, state, addedAt);
    }
}
