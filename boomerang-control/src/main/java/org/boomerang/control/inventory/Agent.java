package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * The agent of a machine at a site: when it registered and when it was last heard from (FB-21, and
 * item health: a replicating item whose source agent has gone quiet is alerted). Keyed by site and
 * machine: a machine recovered at the recovery site may carry the same id as the primary one, and
 * each has its own agent.
 */
public record Agent(SiteId site, MachineId machine, Instant registeredAt, Instant lastHeartbeat) {
    public Agent {
        requireNonNull(site, "site is null");
        requireNonNull(machine, "machine is null");
        requireNonNull(registeredAt, "registeredAt is null");
        requireNonNull(lastHeartbeat, "lastHeartbeat is null");
    }
}
