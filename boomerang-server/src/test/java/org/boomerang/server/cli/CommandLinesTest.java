package org.boomerang.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** How a command's failure reaches the terminal: an I/O failure names what failed and exits 8, a bug prints its trace and exits 1. */
class CommandLinesTest {
    @Command(name = "read-disk")
    static final class ReadDisk implements Runnable {
        @Override
        public void run() {
            // What a data-plane library throws when it lets an IOException through.
            throw new UncheckedIOException(new NoSuchFileException("/srv/agent/state/d0/dirty.map"));
        }
    }

    @Command(name = "buggy")
    static final class Buggy implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("a bug");
        }
    }

    private record Run(int exit, String err) {}

    private static Run run(Object command) {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.create(command);
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(), err.toString());
    }

    @Test
    void aRawIoFailureIsAnExternalErrorNamingTheFileWithoutATrace() {
        Run r = run(new ReadDisk());
        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.err()).startsWith("error: IO_FAILED: I/O failed: no such file or folder: /srv/agent/state/d0/dirty.map")
                .doesNotContain("a bug").doesNotContain("\tat ");
    }

    @Test
    void anythingElseIsStillReportedAsABugWithItsTrace() {
        Run r = run(new Buggy());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unexpected failure (a bug").contains("\tat ");
    }
}
