package org.boomerang.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.api.ApiServer;
import org.boomerang.api.ApiServerConfig;
import org.boomerang.api.ErrorDetails;
import org.boomerang.api.HealthProbe;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.Health;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.server.config.ConfigError;
import org.boomerang.server.config.ServerConfig;
import org.boomerang.server.cli.VersionProvider;

/**
 * The control server as one running thing: the data folder, the API tokens, the metrics registry
 * and the REST API with the route groups of every control-server area. {@link #start()} once,
 * {@link #close()} once.
 */
public final class ServerRuntime implements AutoCloseable {
    private final ServerConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ApiServer api;

    public ServerRuntime(ServerConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    public ServerRuntime start() {
        try {
            Files.createDirectories(config.data());
        } catch (IOException e) {
            throw new BoomerangException(ConfigError.CONFIG_INVALID_VALUE, "cannot create the data folder " + config.data() + ": " + e.getMessage(),
                    "choose a writable folder with --data", e);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        TokenStore tokens = new TokenStore(new TokenFile(config.data()), Clock.SYSTEM);
        List<RouteGroup> groups = new ArrayList<>();
        List<HealthProbe> probes = new ArrayList<>();
        probes.add(() -> new Health.HealthCheck("data-folder", Files.isWritable(config.data()) ? "UP" : "DOWN", config.data().toString()));
        api = new ApiServer(new ApiServerConfig(groups, tokens, registry, probes, ErrorDetails.NONE, VersionProvider.version()))
                .start(config.bind(), config.port());
        return this;
    }

    public int port() {
        return api.port();
    }

    public boolean hasTokens() {
        return !new TokenStore(new TokenFile(config.data()), Clock.SYSTEM).list().isEmpty();
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
            api = null;
        }
        registry.close();
    }
}
