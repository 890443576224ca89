package org.boomerang.api.dto;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code GET /health}: {@code UP} when every check is up, {@code DOWN} otherwise. */
public record Health(String status, String version, List<HealthCheck> checks) {
    public Health {
        checks = List.copyOf(checks);
    }

    /** One thing the server depends on (the database, the job runner, a site provider). */
    public record HealthCheck(String name, String status, @Nullable String detail) {}
}
