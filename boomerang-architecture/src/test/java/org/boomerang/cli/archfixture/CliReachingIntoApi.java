package org.boomerang.cli.archfixture;

import org.boomerang.api.ApiServer;

/** Scratch fixture: the CLI using the API's server class, not its DTOs (must break the rule). */
public final class CliReachingIntoApi {
    public String name(ApiServer server) {
        return server.getClass().getName();
    }
}
