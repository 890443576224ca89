package org.boomerang.provider;

/** Moved and deleted detection (FB-1). */
public interface PresenceDetection {
    /**
     * Whether the machine still exists in the resource group it was created in.
     *
     * @param expectedResourceGroup the group the control server recorded for it
     */
    MachinePresence presence(MachineId machine, String expectedResourceGroup);
}
