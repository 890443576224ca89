package org.boomerang.server.cli;

import java.io.PrintWriter;
import org.boomerang.server.config.ServerConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code boomerang server config-keys}: every key of the server's config file with its default, read from the config records. */
@Command(name = "config-keys", mixinStandardHelpOptions = true,
        description = "List every key of the server's config file with its default (docs/configuration.md says what each means).")
public final class ServerConfigKeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        int width = ServerConfigKeys.all().stream().mapToInt(k -> k.name().length()).max().orElse(3);
        out.printf("%-" + width + "s  %s%n", "KEY", "DEFAULT");
        for (ServerConfigKeys.Key k : ServerConfigKeys.all()) {
            out.printf("%-" + width + "s  %s%n", k.name(), k.defaultValue());
        }
        out.flush();
    }
}
