package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.SiteId;

/**
 * When this control server first saw a hypervisor manager of a site in a discovery (FB-3: a vCenter
 * first seen after an item was protected is never that item's failback target). Written once per
 * manager, by the control server itself; what the site's provider says about the manager's age is
 * not trusted for this.
 */
public record ManagerSighting(SiteId site, ManagerId manager, Instant firstSeenAt) {
    public ManagerSighting {
        requireNonNull(site, "site is null");
        requireNonNull(manager, "manager is null");
        requireNonNull(firstSeenAt, "firstSeenAt is null");
    }
}
