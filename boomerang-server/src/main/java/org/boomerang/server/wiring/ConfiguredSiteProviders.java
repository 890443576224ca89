package org.boomerang.server.wiring;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.inventory.SiteProviders;
import org.boomerang.provider.SiteId;
import org.boomerang.provider.SiteProvider;
import org.boomerang.provider.lab.LabSiteProvider;
import org.boomerang.server.config.SiteConfig;

/**
 * The site providers of {@code boomerang server}, one per {@code sites:} entry of its config, opened
 * at start: a {@code lab} site opens (or, the first time, creates from its seed) its estate folder.
 * A site without an entry has no provider and says how to give it one. Immutable, thread-safe.
 */
public final class ConfiguredSiteProviders implements SiteProviders {
    private final Map<SiteId, SiteProvider> providers;

    private ConfiguredSiteProviders(Map<SiteId, SiteProvider> providers) {
        this.providers = Map.copyOf(providers);
    }

    /** Opens every configured site; estates live under {@code data}, seeds are read from {@code configFolder}. */
    public static ConfiguredSiteProviders open(List<SiteConfig> sites, Path data, Path configFolder, Clock clock) {
        requireNonNull(sites, "sites is null");
        Map<SiteId, SiteProvider> m = new LinkedHashMap<>();
        for (SiteConfig s : sites) {
            SiteId id = new SiteId(s.id());
            SiteProvider p = switch (s.provider()) {
                case SiteConfig.LAB -> LabSiteProvider.open(id, s.estateIn(data), s.seedFrom(configFolder), clock);
                default -> throw new IllegalStateException("SiteConfig let an unknown provider through: " + s.provider());
            };
            m.put(id, p);
        }
        return new ConfiguredSiteProviders(m);
    }

    @Override
    public SiteProvider of(SiteId site) {
        SiteProvider p = providers.get(site);
        if (p == null) {
            throw new BoomerangException(WiringError.SITE_PROVIDER_UNAVAILABLE,
                    "site " + site + " has no site provider in this control server",
                    "add a 'sites:' entry for " + site + " to the server's config (e.g. provider: lab) and restart; docs/configuration.md shows how");
        }
        return p;
    }
}
