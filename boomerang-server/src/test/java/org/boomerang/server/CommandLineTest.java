package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.boomerang.server.cli.BoomerangCommand;
import org.boomerang.server.cli.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
    @Test
    void helpListsTheCommands() {
        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("Usage: boomerang");
    }

    @Test
    void unknownCommandIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.create(new BoomerangCommand());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("frobnicate");
    }
}
