package org.boomerang.provider;

/** A protected machine is a virtual machine or a physical server (FB-9, FB-10). */
public enum MachineKind {
    VM,
    PHYSICAL
}
