package org.boomerang.provider;

/**
 * A site's provider: the only way the control server sees and changes a site (SPEC §5). One
 * provider per site; implementations: {@code lab} (directory-backed), later vSphere and cloud.
 * Each capability is its own small interface so a provider that lacks one can say so clearly.
 *
 * <p>Every method is idempotent: asking to power off a machine that is off, or to delete one that
 * is gone, succeeds. This is what lets a job step be replayed after a control-server restart.
 * Failures are {@code BoomerangException}s with a {@link ProviderError} code.
 *
 * <p>Thread-safety: implementations must be safe for concurrent use by several jobs.
 */
public interface SiteProvider {
    SiteId site();

    /** Discovers the whole inventory of the site now. */
    Inventory discover();

    PowerControl power();

    MachineLifecycle machines();

    DiskAttachment disks();

    Snapshots snapshots();

    GuestTools guestTools();

    PresenceDetection presence();

    /**
     * The editor of this site's estate when the provider owns it (the lab provider); empty for a
     * site whose estate is changed elsewhere (vSphere, cloud).
     */
    java.util.Optional<EstateEditor> editor();
}
