package org.boomerang.control.inventory;

import static java.util.Objects.requireNonNull;

import org.boomerang.provider.SiteId;

/** A site and the name of its provider (e.g. {@code lab}). */
public record Site(SiteId id, SiteRole role, String provider) {
    public Site {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(provider, "provider is null");
    }
}
