package org.boomerang.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.boomerang.server.cli.BoomerangCommand;
import org.boomerang.server.cli.CommandLines;
import picocli.CommandLine;

/**
 * Runs the real {@code boomerang} command line in-process (the same picocli tree and error
 * rendering as {@code bin/boomerang}) and keeps a transcript of what it ran and printed.
 */
public final class TestingCli {
    private final List<String> connection;
    private final StringBuilder transcript = new StringBuilder();
    /** Built once: picocli resets every option before each run, and building the tree is slow. */
    private final CommandLine commandLine = CommandLines.create(new BoomerangCommand());

    /** @param connection arguments added to every client command (--server URL --token T), left out of the transcript */
    public TestingCli(List<String> connection) {
        this.connection = List.copyOf(connection);
    }

    /** What one run printed and how it exited. */
    public record Run(int exit, String out, String err) {
        public String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    /** Runs a client command (items, plans, points, jobs) against the server. */
    public Run client(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int insertAt = Math.min(2, all.size());
        all.addAll(insertAt, connection);
        return run(String.join(" ", args), all.toArray(String[]::new));
    }

    /** Runs a command as given. */
    public Run plain(String... args) {
        return run(String.join(" ", args), args);
    }

    private Run run(String shown, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine;
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        transcript.append("$ boomerang ").append(shown).append('\n').append(out);
        if (!err.toString().isEmpty()) {
            transcript.append(err);
        }
        if (exit != 0) {
            transcript.append("(exit ").append(exit).append(")\n");
        }
        transcript.append('\n');
        return new Run(exit, out.toString(), err.toString());
    }

    public String transcript() {
        return transcript.toString();
    }
}
