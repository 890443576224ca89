package org.boomerang.provider;

/** Create and delete machines. Idempotent: {@code create} with a request id already used returns the same machine. */
public interface MachineLifecycle {
    /** Creates a machine; {@code requestId} makes a replay return the machine created the first time. */
    Machine create(MachineSpec spec, String requestId);

    void delete(MachineId machine);
}
