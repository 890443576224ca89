package org.boomerang.provider;

/** Whether the control server can talk to a hypervisor manager right now (FB-22). */
public enum ConnectionState {
    CONNECTED,
    DISCONNECTED
}
