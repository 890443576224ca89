package org.boomerang.server.cli;

import picocli.CommandLine.Command;

/**
 * The top of the command line of SPEC §6. Each subcommand is its own class; add it here.
 */
@Command(
        name = "boomerang",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Site recovery that comes back: protect, fail over, reprotect, fail back, commit.",
        subcommands = {
            ServerCommand.class,
            DemoCommand.class,
            DrillCommand.class,
            org.boomerang.cli.ItemsCommand.class,
            org.boomerang.cli.AlertsCommand.class,
            org.boomerang.cli.PointsCommand.class,
            org.boomerang.cli.JobsCommand.class,
            org.boomerang.cli.PlansCommand.class,
            org.boomerang.cli.InventoryCommand.class,
            org.boomerang.cli.PoliciesCommand.class,
            org.boomerang.cli.TokensCommand.class,
            org.boomerang.cli.BackupsCommand.class,
            picocli.CommandLine.HelpCommand.class,
            NbdCommand.class,
            JournalCommand.class,
            SyncCommand.class,
            CertsCommand.class,
            AgentCommand.class,
            ProcessServerCommand.class,
            MasterTargetCommand.class,
        })
public final class BoomerangCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
