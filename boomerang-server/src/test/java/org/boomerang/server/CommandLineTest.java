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

    /** The data-plane commands parsed on their own (Main's fast path) say exactly what the tree says. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "sync --help", "sync --mode sideways --source a --target b", "sync --source a",
        "nbd --help", "nbd serve --help", "nbd serve --export nonsense",
        "journal --help", "journal changes --help", "journal points"})
    void dataPlaneCommandsAloneAnswerAsTheTreeDoes(String line) {
        String[] args = line.split(" ");
        StringWriter aloneOut = new StringWriter();
        StringWriter aloneErr = new StringWriter();
        int alone = Main.run(args, new PrintWriter(aloneOut), new PrintWriter(aloneErr));

        StringWriter treeOut = new StringWriter();
        StringWriter treeErr = new StringWriter();
        CommandLine tree = CommandLines.create(new BoomerangCommand());
        tree.setOut(new PrintWriter(treeOut));
        tree.setErr(new PrintWriter(treeErr));
        int viaTree = tree.execute(args);

        assertThat(alone).isEqualTo(viaTree);
        assertThat(aloneOut.toString()).isEqualTo(treeOut.toString());
        assertThat(aloneErr.toString()).isEqualTo(treeErr.toString());
        assertThat(aloneOut.toString() + aloneErr.toString()).isNotEmpty();
    }
}
