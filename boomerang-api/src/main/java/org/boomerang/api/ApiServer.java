package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.boomerang.api.auth.Authenticator;
import org.boomerang.api.auth.StoredToken;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.ApiError;
import org.boomerang.api.json.ApiJson;
import org.boomerang.api.json.PayloadReader;
import org.boomerang.api.routes.SystemRoutes;
import org.boomerang.api.routes.TokenRoutes;
import org.boomerang.common.BoomerangException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the REST API. It registers every {@link ApiRoute} of its route groups (plus
 * the system routes: health, OpenAPI, metrics, tokens), and for each request checks the route's
 * {@link Access}, runs the handler, writes the JSON answer or the {@link ApiError}, and counts the
 * request in {@code /metrics}.
 *
 * <p>Lifecycle: construct, {@link #start(String, int)} once, {@link #close()} once. Requests run
 * on virtual threads; handlers must be thread-safe. The server logs method, route template and
 * status of failures only: never a header, a body or a token.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String TIMER = "boomerang.api.timer";

    private final List<ApiRoute> routes;
    private final Authenticator authenticator;
    private final PayloadReader payloads;
    private final ObjectMapper mapper;
    private final ErrorRenderer errors;
    private final PrometheusMeterRegistry registry;
    private final List<WebMount> mounts;
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final long maxBodyBytes;
    private Javalin app;

    public ApiServer(ApiServerConfig config) {
        requireNonNull(config, "config is null");
        this.mapper = ApiJson.strictMapper();
        this.payloads = new PayloadReader(mapper);
        this.authenticator = new Authenticator(config.tokens());
        this.errors = new ErrorRenderer(config.errorDetails());
        this.registry = config.registry();
        this.maxBodyBytes = config.maxBodyBytes();
        this.mounts = config.mounts();
        List<ApiRoute> all = new ArrayList<>();
        all.addAll(new SystemRoutes(this::routes, registry, config.healthProbes(), config.version(), mapper).routes());
        all.addAll(new TokenRoutes(config.tokens()).routes());
        for (RouteGroup group : config.groups()) {
            all.addAll(group.routes());
        }
        this.routes = List.copyOf(all);
        checkUnique(routes);
    }

    /** Starts listening on {@code host:port}; port 0 picks a free port (see {@link #port()}). */
    public synchronized ApiServer start(String host, int port) {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.useVirtualThreads = true;
            config.router.ignoreTrailingSlashes = true;
            config.jsonMapper(new JavalinJackson(mapper, true));
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(mapper, errors)));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler(mapper, errors)));
            config.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    registered.add(info.getHttpMethod().name() + " " + info.getPath());
                }
            });
        });
        app.before(ctx -> ctx.attribute(TIMER, Timer.start(registry)));
        app.after(this::recordMetrics);
        app.exception(HttpResponseException.class, (e, ctx) -> {
            Optional<WebMount> mount = mountOf(ctx.path());
            if (mount.isPresent()) {
                mount.get().renderError(ctx, e);
                return;
            }
            writeError(ctx, switch (e.getStatus()) {
                case 404 -> new BoomerangException(ApiErrorCode.API_ROUTE_NOT_FOUND,
                        "no route " + ctx.method().name() + " " + ctx.path(), "GET /openapi.json lists every route");
                case 405 -> {
                    String allowed = allowedMethods(ctx.path());
                    ctx.header("Allow", allowed);
                    yield new BoomerangException(ApiErrorCode.API_METHOD_NOT_ALLOWED,
                            ctx.method().name() + " is not allowed on " + ctx.path() + "; allowed: " + allowed,
                            "use one of the allowed methods; GET /openapi.json lists every route");
                }
                case 413 -> new BoomerangException(ApiErrorCode.API_PAYLOAD_TOO_LARGE,
                        "the request body is larger than the server's limit of " + maxBodyBytes + " bytes",
                        "send a smaller body, or raise the limit (server config api.max-body-bytes, see docs/api.md)");
                default -> new BoomerangException(ApiErrorCode.forHttpStatus(e.getStatus()), "the request was refused: HTTP " + e.getStatus(),
                        "see /openapi.json");
            });
        });
        app.exception(Exception.class, (e, ctx) -> {
            Optional<WebMount> mount = mountOf(ctx.path());
            if (mount.isPresent()) {
                mount.get().renderError(ctx, e);
            } else {
                writeError(ctx, e);
            }
        });
        for (ApiRoute route : routes) {
            app.addHttpHandler(HandlerType.valueOf(route.method().name()), route.path(), handlerFor(route));
        }
        for (WebMount mount : mounts) {
            mount.mount(app);
        }
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            app.stop();
            app = null;
            if (causedByBind(e)) {
                throw new BoomerangException(ApiErrorCode.API_PORT_IN_USE, "cannot listen on " + host + ":" + port + ": the address is already in use",
                        "stop the process that uses port " + port + " (ss -ltnp 'sport = :" + port + "' names it) or choose another with --port", e);
            }
            throw e;
        }
        LOG.info("REST API listening on {}:{} ({} routes)", host, app.port(), routes.size());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Every route, in registration order: the same list {@code /openapi.json} is written from. */
    public List<ApiRoute> routes() {
        return routes;
    }

    /** {@code "METHOD /path"} of every handler the HTTP server actually registered. */
    public List<String> registeredEndpoints() {
        return List.copyOf(registered);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    private Handler handlerFor(ApiRoute route) {
        if (route.isEventStream()) {
            return ctx -> {
                StoredToken caller = authenticator.check(ctx.header("Authorization"), route.access(), route.operationId()).orElse(null);
                ApiRoute.Feed feed = route.stream().open(new ApiCall(route, ctx, payloads, caller));
                String accept = ctx.header("Accept");
                if (accept == null || !accept.contains("text/event-stream")) {
                    throw new BoomerangException(ApiErrorCode.API_EVENT_STREAM_NOT_ACCEPTED,
                            route.path() + " is a server-sent event stream", "send 'Accept: text/event-stream' (curl -N -H 'Accept: text/event-stream' …)");
                }
                new SseHandler(client -> streamTo(route, feed, client)).handle(ctx);
            };
        }
        return ctx -> {
            StoredToken caller = authenticator.check(ctx.header("Authorization"), route.access(), route.operationId()).orElse(null);
            Object result = route.handler().handle(new ApiCall(route, ctx, payloads, caller));
            ctx.status(route.status());
            if (result instanceof RawBody raw) {
                ctx.contentType(raw.contentType()).result(raw.text());
            } else if (result != null) {
                ctx.contentType("application/json").result(mapper.writeValueAsString(result));
            }
        };
    }

    private void streamTo(ApiRoute route, ApiRoute.Feed feed, SseClient client) {
        ApiRoute.EventSink sink = new ApiRoute.EventSink() {
            @Override
            public boolean send(String event, Object data) {
                if (client.terminated()) {
                    return false;
                }
                try {
                    client.sendEvent(event, mapper.writeValueAsString(data), null);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot serialise an event of " + route.operationId(), e);
                }
                return !client.terminated();
            }

            @Override
            public void keepAlive() {
                if (!client.terminated()) {
                    client.sendComment("keep-alive");
                }
            }

            @Override
            public boolean closed() {
                return client.terminated();
            }
        };
        try {
            feed.run(sink);
        } catch (Exception e) {
            sink.send("error", errors.render(e).body());
        }
    }

    private Optional<WebMount> mountOf(String path) {
        return mounts.stream().filter(m -> m.owns(path)).findFirst();
    }

    private void writeError(Context ctx, Throwable e) {
        ErrorRenderer.Rendered r = errors.render(e);
        if (r.body().code().equals(ApiErrorCode.API_UNAUTHENTICATED.name()) || r.body().code().equals(ApiErrorCode.API_ROLE_TOO_LOW.name())) {
            io.micrometer.core.instrument.Counter.builder("boomerang.api.auth.failures")
                    .description("Requests refused for a missing or unknown token or a role too low")
                    .tag("reason", r.body().code()).register(registry).increment();
            LOG.info("auth failure: {} {} refused with {}", ctx.method().name(), ctx.endpointHandlerPath(), r.body().code());
        }
        if (r.status() >= 500) {
            LOG.warn("{} {} failed: {} {}", ctx.method().name(), ctx.endpointHandlerPath(), r.status(), r.body().code());
        }
        ctx.status(r.status()).json(r.body());
        if (r.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"boomerang\"");
        }
    }

    private void recordMetrics(Context ctx) {
        Timer.Sample sample = ctx.attribute(TIMER);
        if (sample == null) {
            return;
        }
        String template;
        try {
            template = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            template = "unmatched";
        }
        sample.stop(Timer.builder("boomerang.api.requests")
                .description("REST API requests by method, route template and status")
                .tag("method", ctx.method().name())
                // Javalin names a request no route matched with a sentence, not a template: label it "unmatched"
                .tag("route", template == null || !template.startsWith("/") ? "unmatched" : template)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry));
    }

    /** The methods some route has for {@code path}, e.g. {@code GET, PUT}. */
    private String allowedMethods(String path) {
        Set<String> methods = new java.util.TreeSet<>();
        for (ApiRoute r : routes) {
            if (matches(r.path(), path)) {
                methods.add(r.method().name());
            }
        }
        return String.join(", ", methods);
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/");
        String[] p = path.replaceAll("/+$", "").split("/");
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (!t[i].startsWith("{") && !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException || c instanceof io.javalin.util.JavalinBindException) {
                return true;
            }
        }
        return false;
    }

    private static void checkUnique(List<ApiRoute> routes) {
        Set<String> ops = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (ApiRoute r : routes) {
            if (!ops.add(r.operationId())) {
                throw new IllegalArgumentException("duplicate operationId " + r.operationId());
            }
            if (!endpoints.add(r.method() + " " + r.path())) {
                throw new IllegalArgumentException("duplicate route " + r.method() + " " + r.path());
            }
        }
    }
}
