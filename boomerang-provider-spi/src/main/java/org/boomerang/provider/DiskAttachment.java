package org.boomerang.provider;

import org.boomerang.common.DiskId;

/** Attach and detach disks; needs a connected hypervisor manager where there is one (FB-22). */
public interface DiskAttachment {
    void attach(MachineId machine, DiskId disk);

    void detach(MachineId machine, DiskId disk);
}
