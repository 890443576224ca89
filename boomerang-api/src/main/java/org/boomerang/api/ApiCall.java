package org.boomerang.api;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.Optional;
import org.boomerang.api.auth.StoredToken;
import org.boomerang.api.json.PayloadReader;
import org.boomerang.common.BoomerangException;

/**
 * One request as a route handler sees it: its path and query parameters, its validated body and
 * the token that made it. Reading a parameter the route did not declare is a bug in the route
 * table and fails loudly, so the OpenAPI document stays complete. One instance per request.
 */
public final class ApiCall {
    private static final java.util.Set<String> PROVIDER_IDS = java.util.Set.of("machine");

    private final ApiRoute route;
    private final Context ctx;
    private final PayloadReader payloads;
    private final StoredToken caller;

    ApiCall(ApiRoute route, Context ctx, PayloadReader payloads, StoredToken caller) {
        this.route = requireNonNull(route, "route is null");
        this.ctx = requireNonNull(ctx, "ctx is null");
        this.payloads = requireNonNull(payloads, "payloads is null");
        this.caller = caller;
    }

    public ApiRoute route() {
        return route;
    }

    /** The token of the caller; empty on a public route. */
    public Optional<StoredToken> caller() {
        return Optional.ofNullable(caller);
    }

    /**
     * A path parameter: the id of a named object, checked against the {@link IdGrammar}; a machine
     * id (minted by a site provider, e.g. {@code web@recovery#1}) only has to be non-blank.
     */
    public String path(String name) {
        if (!route.pathParams().contains(name)) {
            throw new IllegalStateException(route.operationId() + " reads undeclared path parameter " + name);
        }
        String value = ctx.pathParam(name);
        if (PROVIDER_IDS.contains(name)) {
            // machine ids are minted by the site providers, not named by operators: not the id grammar
            if (value.isBlank()) {
                throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "path parameter '" + name + "' is empty", "put a value in the path");
            }
            return value;
        }
        return IdGrammar.check("path parameter '" + name + "'", value);
    }

    /** A query parameter, empty when absent. */
    public Optional<String> query(String name) {
        if (route.queryParams().stream().noneMatch(q -> q.name().equals(name))) {
            throw new IllegalStateException(route.operationId() + " reads undeclared query parameter " + name);
        }
        return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isEmpty());
    }

    /** An integer query parameter, {@code fallback} when absent; 400 naming it when not an integer or below {@code min}. */
    public long queryLong(String name, long fallback, long min) {
        Optional<String> text = query(name);
        if (text.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "query parameter '" + name + "' is not an integer: '" + text.get() + "'",
                    "send a whole number");
        }
        if (value < min) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "query parameter '" + name + "' must be at least " + min + ", got " + value,
                    "send a larger number");
        }
        return value;
    }

    /** The body, read strictly into the route's request record. */
    public <T> T body(Class<T> type) {
        if (route.requestBody().isEmpty() || route.requestBody().get() != type) {
            throw new IllegalStateException(route.operationId() + " reads a body of undeclared type " + type.getSimpleName());
        }
        return payloads.read(ctx.body(), type);
    }

    /** The body, or {@code fallback} when the request has none and the route's body is optional. */
    public <T> T bodyOr(Class<T> type, T fallback) {
        if (!route.bodyRequired() && ctx.body().isBlank()) {
            return fallback;
        }
        return body(type);
    }

    Context context() {
        return ctx;
    }
}
