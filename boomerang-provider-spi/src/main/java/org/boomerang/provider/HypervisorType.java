package org.boomerang.provider;

/** What kind of hypervisor a host runs (FB-2: a VMware VM never fails back to Hyper-V). */
public enum HypervisorType {
    VMWARE,
    HYPER_V,
    /** The cloud recovery site (the seed's Azure). */
    CLOUD
}
