package org.boomerang.api.routes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.boomerang.api.Access;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.HealthProbe;
import org.boomerang.api.RawBody;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.Health;
import org.boomerang.api.dto.HealthStatusView;
import org.boomerang.api.openapi.OpenApiDocument;

/** {@code /health} (public), {@code /openapi.json} (public) and {@code /metrics} (reader). */
public final class SystemRoutes implements RouteGroup {
    /** The Prometheus text exposition format, version 0.0.4. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";
    private final Supplier<List<ApiRoute>> table;
    private final PrometheusMeterRegistry registry;
    private final List<HealthProbe> probes;
    private final String version;
    private final ObjectMapper mapper;

    public SystemRoutes(Supplier<List<ApiRoute>> table, PrometheusMeterRegistry registry, List<HealthProbe> probes, String version, ObjectMapper mapper) {
        this.table = requireNonNull(table, "table is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.probes = List.copyOf(probes);
        this.version = requireNonNull(version, "version is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/health", "getHealth").access(Access.PUBLIC).tag("system")
                        .summary("Whether the control server and what it depends on are up").returns(Health.class)
                        .handle(call -> health()),
                ApiRoute.get("/openapi.json", "getOpenApi").access(Access.PUBLIC).tag("system")
                        .summary("This API's OpenAPI 3.1 document, written from the route table").returns(Object.class)
                        .handle(call -> new RawBody("application/json", mapper.writeValueAsString(OpenApiDocument.of(table.get(), version)))),
                ApiRoute.get("/metrics", "getMetrics").access(Access.READER).tag("system")
                        .summary("Metrics in the Prometheus text format").returnsText(PROMETHEUS_TEXT)
                        .handle(call -> new RawBody(PROMETHEUS_TEXT + "; charset=utf-8", registry.scrape())));
    }

    private Health health() {
        List<Health.HealthCheck> checks = new ArrayList<>();
        boolean up = true;
        for (HealthProbe probe : probes) {
            Health.HealthCheck c;
            try {
                c = probe.check();
            } catch (RuntimeException e) {
                c = new Health.HealthCheck(probe.getClass().getSimpleName(), HealthStatusView.DOWN, e.getMessage());
            }
            checks.add(c);
            up &= c.status() == HealthStatusView.UP;
        }
        return new Health(HealthStatusView.of(up), version, checks);
    }
}
