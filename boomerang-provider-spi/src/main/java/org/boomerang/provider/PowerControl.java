package org.boomerang.provider;

/** Power on and off. Idempotent. */
public interface PowerControl {
    void powerOn(MachineId machine);

    void powerOff(MachineId machine);
}
