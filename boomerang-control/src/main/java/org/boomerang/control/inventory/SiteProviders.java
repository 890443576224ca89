package org.boomerang.control.inventory;

import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.SiteId;

/** Finds the provider of a site: the seam between the control server and its sites. */
public interface SiteProviders {
    /** The provider of {@code site}; {@code SITE_NOT_FOUND} when none is configured. */
    SiteProvider of(SiteId site);
}
