package org.boomerang.api.archfixture;

import org.boomerang.api.ApiServer;

/** Scratch fixture: a route group that refers back to the server mounting it (must break the rule). */
public final class RouteReferringToTheServer {
    public Object handle(ApiServer server) {
        return server;
    }
}
