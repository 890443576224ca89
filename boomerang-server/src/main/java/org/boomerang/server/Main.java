package org.boomerang.server;

import java.io.PrintWriter;
import java.util.Arrays;
import org.boomerang.server.cli.BoomerangCommand;
import org.boomerang.server.cli.CommandLines;
import org.boomerang.server.cli.JournalCommand;
import org.boomerang.server.cli.NbdCommand;
import org.boomerang.server.cli.SyncCommand;
import picocli.CommandLine;

/**
 * The entry point of {@code bin/boomerang}.
 *
 * <p>The data-plane commands ({@code sync}, {@code nbd}, {@code journal}) are parsed on their own, without
 * the rest of the command tree: picocli builds the model of every subcommand it is given (each class, its
 * options, the API client's commands and their dependencies), which was most of the start of a one-second
 * {@code sync}. Their usage, options and exit codes are the same as through the tree, which still answers
 * everything else ({@code boomerang --help}, {@code boomerang help sync}, the control-plane commands).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 2 && args[0].equals("__aot-training")) {
            System.exit(AotTraining.run(args[1])); // the launcher's training runs, see AotTraining
        }
        System.exit(run(args, null, null));
    }

    /** Runs one command line; {@code out} and {@code err} replace stdout and stderr when not null (tests). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        Object alone = args.length == 0 ? null : switch (args[0]) {
            case "sync" -> new SyncCommand();
            case "nbd" -> new NbdCommand();
            case "journal" -> new JournalCommand();
            default -> null;
        };
        CommandLine cli = CommandLines.create(alone == null ? new BoomerangCommand() : alone);
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        if (alone == null) {
            return cli.execute(args);
        }
        cli.setCommandName("boomerang " + args[0]);
        return cli.execute(Arrays.copyOfRange(args, 1, args.length));
    }
}
