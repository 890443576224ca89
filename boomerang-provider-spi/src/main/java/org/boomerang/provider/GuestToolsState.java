package org.boomerang.provider;

/** The hypervisor's guest tools inside a machine (VMware tools; FB-18). */
public enum GuestToolsState {
    RUNNING,
    DISABLED,
    NOT_INSTALLED
}
