package org.boomerang.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.boomerang.api.auth.StoredToken;
import org.boomerang.api.auth.TokenFile;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.Role;
import org.boomerang.common.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang server token create|list|revoke --data DIR}: API tokens, written straight into
 * the data folder's token file (a running server picks changes up on its next request). The
 * secret of a new token is printed once, on the last line; only its hash is stored.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens in a data folder.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class TokenCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token; prints it on the last line (shown once: only its hash is kept).")
    void create(@Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "The server's data folder (default: ${DEFAULT-VALUE}).") Path data,
                @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, operator or admin.") String role,
                @Option(names = "--label", paramLabel = "TEXT", defaultValue = "", description = "Who or what holds the token.") String label) {
        TokenStore.Created created = store(data).create(Role.parse(role), label);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Created API token " + created.stored().id() + " with role " + created.stored().role().label()
                + ". Store it now; the server keeps only its hash:");
        out.println(created.token().text());
        out.flush();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens (ids, roles, labels; never secrets).")
    void list(@Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "The server's data folder (default: ${DEFAULT-VALUE}).") Path data) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("ID          ROLE      CREATED               LABEL");
        for (StoredToken t : store(data).list()) {
            out.printf("%-10s  %-8s  %-20s  %s%n", t.id(), t.role().label(), t.createdAt(), t.label());
        }
        out.flush();
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id: requests with it fail from then on.")
    void revoke(@Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "The server's data folder (default: ${DEFAULT-VALUE}).") Path data,
                @Parameters(paramLabel = "ID") String id) {
        StoredToken t = store(data).revoke(id);
        spec.commandLine().getOut().println("Revoked API token " + t.id() + " (" + t.role().label() + ")");
        spec.commandLine().getOut().flush();
    }

    private static TokenStore store(Path data) {
        return new TokenStore(new TokenFile(data), Clock.SYSTEM);
    }
}
