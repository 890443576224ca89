package org.boomerang.dataplane.roles;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A role's Prometheus endpoint: {@code GET /metrics} in the text exposition format, served by the
 * JDK's HTTP server from the role's Micrometer registry. A role without a {@code metrics} key still
 * keeps its registry (the in-process facade reads it) and serves nothing.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** A registry, served at {@code listen} when it is not null. */
    public static MetricsEndpoint start(Endpoint listen) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (listen == null) {
            return new MetricsEndpoint(registry, null);
        }
        HttpServer server = HttpServer.create(listen.socketAddress(), 16);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new MetricsEndpoint(registry, server);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Where the endpoint listens, or null when it serves nothing. */
    public InetSocketAddress address() {
        return server == null ? null : server.getAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
