package org.boomerang.api;

import org.boomerang.api.dto.Health;

/** One check behind {@code GET /health} (database reachable, job runner alive, …). Must be fast and never throw. */
@FunctionalInterface
public interface HealthProbe {
    Health.HealthCheck check();
}
