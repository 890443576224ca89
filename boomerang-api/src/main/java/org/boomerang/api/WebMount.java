package org.boomerang.api;

import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Pages served by the API's HTTP server next to the API, on the same port (the portal at
 * {@code /}). {@link ApiServer} calls {@link #mount(Javalin)} once, after registering the API's
 * routes and before it starts listening. A mount renders the errors of the paths it
 * {@link #owns(String) owns} itself (HTML pages for a person): the API's JSON errors apply to
 * {@code /api/v1} and every path no mount owns.
 */
public interface WebMount {
    /** Registers the mount's handlers. */
    void mount(Javalin app);

    /** True when {@code path} is one of this mount's pages. */
    boolean owns(String path);

    /**
     * Answers a failure on one of this mount's paths: an exception its handler threw, or the
     * server's own 404/405 ({@code io.javalin.http.HttpResponseException}).
     */
    void renderError(Context ctx, Throwable failure);
}
