package org.boomerang.control.testing;

import org.boomerang.common.Clock;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.SiteProviderContract;

/** The fake the control server's tests use keeps the same contract as the lab provider. */
class FakeSiteProviderContractTest extends SiteProviderContract {
    @Override
    protected SiteProvider newProvider(SiteId site, Clock clock) {
        return new FakeSiteProvider(site, clock);
    }
}
