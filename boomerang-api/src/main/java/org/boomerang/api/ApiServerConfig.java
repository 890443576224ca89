package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.boomerang.api.auth.TokenStore;

/**
 * What the API server is built from: the route groups of the control server's areas, the token
 * store, the metrics registry, the health probes, the function that reads lifecycle facts from
 * errors, the version it reports, and the pages served next to the API on the same port
 * ({@link WebMount}s: the portal).
 */
public record ApiServerConfig(
        List<RouteGroup> groups,
        TokenStore tokens,
        PrometheusMeterRegistry registry,
        List<HealthProbe> healthProbes,
        ErrorDetails errorDetails,
        String version,
        List<WebMount> mounts) {
    /** An API server without pages next to it. */
    public ApiServerConfig(List<RouteGroup> groups, TokenStore tokens, PrometheusMeterRegistry registry,
            List<HealthProbe> healthProbes, ErrorDetails errorDetails, String version) {
        this(groups, tokens, registry, healthProbes, errorDetails, version, List.of());
    }

    public ApiServerConfig {
        groups = List.copyOf(groups);
        requireNonNull(tokens, "tokens is null");
        requireNonNull(registry, "registry is null");
        healthProbes = List.copyOf(healthProbes);
        requireNonNull(errorDetails, "errorDetails is null");
        requireNonNull(version, "version is null");
        mounts = List.copyOf(mounts);
    }
}
