package org.boomerang.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.boomerang.api.dto.CreateTokenRequest;
import org.boomerang.api.dto.CreatedToken;
import org.boomerang.api.dto.Role;
import org.boomerang.api.dto.TokenView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boomerang tokens …}: API tokens over the API (admin), and {@code whoami}. On the server's
 * own machine, {@code boomerang server token …} works on the data folder directly.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "API tokens over the API: whoami, list, create, revoke.",
        subcommands = picocli.CommandLine.HelpCommand.class)
public final class TokensCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "whoami", mixinStandardHelpOptions = true, description = "The token you are using: its id and role.")
    void whoami(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).one(c.get("api/v1/whoami", TokenView.class), table());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every token (admin).")
    void list(@Mixin ClientOptions options) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).list(c.get("api/v1/tokens", new TypeReference<List<TokenView>>() {}), table());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token (admin); prints it on the last line, once.")
    void create(@Mixin ClientOptions options,
                @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, operator or admin.") String role,
                @Option(names = "--label", paramLabel = "TEXT", description = "Who or what holds it.") String label) {
        ApiClient c = options.client();
        CreatedToken t = c.post("api/v1/tokens", new CreateTokenRequest(Role.parse(role), label), CreatedToken.class);
        Printer p = new Printer(options.output(), spec.commandLine().getOut(), c.json());
        if (p.isJson()) {
            p.printJson(t);
            return;
        }
        spec.commandLine().getOut().println("Created API token " + t.token().id() + " with role " + t.token().role().label()
                + ". Store it now; the server keeps only its hash:");
        spec.commandLine().getOut().println(t.secret());
        spec.commandLine().getOut().flush();
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id (admin).")
    void revoke(@Mixin ClientOptions options, @Parameters(paramLabel = "ID") String id) {
        ApiClient c = options.client();
        new Printer(options.output(), spec.commandLine().getOut(), c.json()).one(c.delete("api/v1/tokens/" + UrlPaths.encode(id), TokenView.class), table());
    }

    private static Table<TokenView> table() {
        return new Table<TokenView>().column("ID", TokenView::id).column("ROLE", t -> t.role().label())
                .column("LABEL", TokenView::label).column("CREATED", TokenView::createdAt);
    }
}
