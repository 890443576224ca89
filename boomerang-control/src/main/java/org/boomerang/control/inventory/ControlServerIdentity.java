package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.boomerang.provider.SiteId;

/**
 * Who this control server is: an id minted on first start and kept in its database, its address,
 * and the site it stands at. Items remember the id they were protected under (FB-3); a database
 * restored from backup brings the id back (FB-13).
 */
public record ControlServerIdentity(String id, String address, SiteId site, Instant createdAt) {
    public ControlServerIdentity {
        requireNonNull(id, "id is null");
        requireNonNull(address, "address is null");
        requireNonNull(site, "site is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
