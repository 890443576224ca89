package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.boomerang.api.auth.TokenStore;

/**
 * What the API server is built from: the route groups of the control server's areas, the token
 * store, the metrics registry, the health probes, the function that reads lifecycle facts from
 * errors, the version it reports, the pages served next to the API on the same port
 * ({@link WebMount}s: the portal), and the largest request body it reads (a larger one is
 * {@code 413 API_PAYLOAD_TOO_LARGE}).
 */
public record ApiServerConfig(
        List<RouteGroup> groups,
        TokenStore tokens,
        PrometheusMeterRegistry registry,
        List<HealthProbe> healthProbes,
        ErrorDetails errorDetails,
        String version,
        List<WebMount> mounts,
        long maxBodyBytes) {
    /** The default body limit: 1 MiB, room for a plan of thousands of items. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

    /** An API server without pages next to it, with the default body limit. */
    public ApiServerConfig(List<RouteGroup> groups, TokenStore tokens, PrometheusMeterRegistry registry,
            List<HealthProbe> healthProbes, ErrorDetails errorDetails, String version) {
        this(groups, tokens, registry, healthProbes, errorDetails, version, List.of(), DEFAULT_MAX_BODY_BYTES);
    }

    /** With pages next to the API and the default body limit. */
    public ApiServerConfig(List<RouteGroup> groups, TokenStore tokens, PrometheusMeterRegistry registry,
            List<HealthProbe> healthProbes, ErrorDetails errorDetails, String version, List<WebMount> mounts) {
        this(groups, tokens, registry, healthProbes, errorDetails, version, mounts, DEFAULT_MAX_BODY_BYTES);
    }

    public ApiServerConfig {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit must be at least 1024 bytes, got " + maxBodyBytes);
        }
        groups = List.copyOf(groups);
        requireNonNull(tokens, "tokens is null");
        requireNonNull(registry, "registry is null");
        healthProbes = List.copyOf(healthProbes);
        requireNonNull(errorDetails, "errorDetails is null");
        requireNonNull(version, "version is null");
        mounts = List.copyOf(mounts);
    }
}
