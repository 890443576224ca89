package org.boomerang.provider;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A hypervisor host. {@code manager} is empty for a standalone host (no vCenter); {@code discovered}
 * says whether the control server has discovered it (FB-5, FB-11: standalone hosts must be discovered
 * before reprotect).
 */
public record Host(HostId id, String name, HypervisorType type, Optional<ManagerId> manager, boolean discovered) {
    public Host {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(manager, "manager is null");
    }

    public boolean standalone() {
        return manager.isEmpty();
    }
}
