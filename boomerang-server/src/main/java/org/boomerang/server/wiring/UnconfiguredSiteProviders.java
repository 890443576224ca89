package org.boomerang.server.wiring;

import org.boomerang.common.BoomerangException;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.SiteId;

/**
 * The site providers of {@code boomerang server} until real providers (lab, vSphere) are wired in:
 * every site answers that it has no provider, so discovery and every operation that touches a site
 * fail with a clear error instead of pretending.
 */
public final class UnconfiguredSiteProviders implements SiteProviders {
    @Override
    public SiteProvider of(SiteId site) {
        throw new BoomerangException(WiringError.SITE_PROVIDER_UNAVAILABLE,
                "site " + site + " has no site provider in this control server",
                "site providers (lab, vSphere) are not wired into 'boomerang server' yet; use the embedded lab with 'boomerang demo' when it is available");
    }
}
