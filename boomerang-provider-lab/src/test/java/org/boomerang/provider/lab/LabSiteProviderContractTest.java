package org.boomerang.provider.lab;

import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.common.Clock;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.SiteProviderContract;
import org.junit.jupiter.api.io.TempDir;

class LabSiteProviderContractTest extends SiteProviderContract {
    @TempDir
    Path dir;

    @Override
    protected SiteProvider newProvider(SiteId site, Clock clock) {
        return LabSiteProvider.open(site, dir.resolve("estate"), Optional.empty(), clock);
    }
}
