package org.boomerang.provider;

import java.util.List;

/** Hypervisor snapshots of a machine (FB-14: the master target must have none before failback). */
public interface Snapshots {
    List<String> list(MachineId machine);

    void create(MachineId machine, String name);

    void delete(MachineId machine, String name);
}
