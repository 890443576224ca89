package org.boomerang.api.dto;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code GET /health}: {@code UP} when every check is up, {@code DOWN} otherwise. */
public record Health(HealthStatusView status, String version, List<HealthCheck> checks) {
    public Health {
        checks = List.copyOf(checks);
    }

    /** One thing the server depends on (the database, the job runner, a site provider). */
    public record HealthCheck(String name, HealthStatusView status, @Nullable String detail) {
        /**
         * A check whose status is written {@code UP} or {@code DOWN} (any case); anything else is
         * {@code DOWN}, so a probe that cannot say is never reported up.
         */
        public HealthCheck(String name, String status, @Nullable String detail) {
            this(name, HealthStatusView.of("UP".equalsIgnoreCase(status)), detail);
        }
    }
}
