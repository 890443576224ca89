package org.boomerang.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code boomerang server}: the control server and its maintenance commands (backup, restore). */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "The control server: back up and restore its database.",
        subcommands = {ServerBackupCommand.class, ServerRestoreCommand.class})
public final class ServerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
