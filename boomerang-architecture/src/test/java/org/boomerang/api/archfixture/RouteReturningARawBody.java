package org.boomerang.api.archfixture;

import org.boomerang.api.RawBody;

/** Scratch fixture: a route group that returns a raw body, as SystemRoutes does. */
public final class RouteReturningARawBody {
    public RawBody handle() {
        return new RawBody("text/plain", "ok");
    }
}
