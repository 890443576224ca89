package org.boomerang.provider;

/** The hypervisor's guest tools inside a machine (FB-18). Idempotent. */
public interface GuestTools {
    void enable(MachineId machine);

    void disable(MachineId machine);

    void install(MachineId machine);

    void uninstall(MachineId machine);
}
