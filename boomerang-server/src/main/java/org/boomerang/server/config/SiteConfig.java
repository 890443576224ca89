package org.boomerang.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import org.boomerang.common.config.InvalidConfigValue;
import org.boomerang.control.inventory.SiteRole;

/**
 * One {@code sites:} entry of the server's config: a site, its role, and the provider that runs it.
 * {@code provider: lab} is the directory-backed lab site: {@code estate} is its folder (relative:
 * under the data folder) and {@code seed} an estate file it is created from on first start
 * (relative: next to the config file).
 *
 * <pre>
 * sites:
 *   - id: primary
 *     role: primary
 *     provider: lab
 *     estate: estate/primary          # default: estate/ID under the data folder
 *     seed: estate/primary.yaml       # optional
 * </pre>
 */
public record SiteConfig(String id, SiteRole role, String provider, Optional<Path> estate, Optional<Path> seed) {
    /** The only provider built in so far. */
    public static final String LAB = "lab";

    public SiteConfig {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(estate, "estate is null");
        requireNonNull(seed, "seed is null");
        id = id.trim();
        if (id.isEmpty()) {
            throw new InvalidConfigValue("id", id, "is empty", "id: primary");
        }
        if (!provider.equals(LAB)) {
            throw new InvalidConfigValue("provider", provider, "is not a site provider this build has", "provider: lab");
        }
    }

    /** The estate folder: {@code estate} under {@code data} when relative; {@code estate/ID} by default. */
    public Path estateIn(Path data) {
        return data.resolve(estate.orElse(Path.of("estate", id)));
    }

    /** The seed file: relative to {@code configFolder} when relative. */
    public Optional<Path> seedFrom(Path configFolder) {
        return seed.map(configFolder::resolve);
    }
}
