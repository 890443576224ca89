package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import org.boomerang.provider.SiteId;

/** A process server: receives change streams at a site (FB-20: reprotect chooses one). */
public record ProcessServer(String id, SiteId site, String address) {
    public ProcessServer {
        requireNonNull(id, "id is null");
        requireNonNull(site, "site is null");
        requireNonNull(address, "address is null");
    }
}
