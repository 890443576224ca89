package org.boomerang.server.cli;

import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;
import org.boomerang.common.IoError;
import picocli.CommandLine;

/**
 * Builds the picocli {@link CommandLine} with Boomerang's error rendering: a {@link BoomerangException}
 * prints {@code CODE: message — hint} on stderr and exits with its category's exit code; a usage error
 * exits 2 with picocli's message; an {@code IOException} among the causes prints {@code IO_FAILED} naming
 * what failed and exits 8 ({@link IoError}); anything else is a bug and exits 1 with the stack trace.
 */
public final class CommandLines {
    private CommandLines() {}

    public static CommandLine create(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = ex;
            while (!(cause instanceof BoomerangException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof BoomerangException be) {
                commandLine.getErr().println("error: " + be.describe());
                return be.type().exitCode();
            }
            java.util.Optional<BoomerangException> io = IoError.of(ex);
            if (io.isPresent()) {
                // A file, disk or peer failed under code that let the IOException through: not a bug.
                commandLine.getErr().println("error: " + io.get().describe());
                return io.get().type().exitCode();
            }
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return ErrorType.USER_ERROR.exitCode();
            }
            commandLine.getErr().println("error: unexpected failure (a bug; please report it with this trace)");
            ex.printStackTrace(commandLine.getErr());
            return ErrorType.INTERNAL.exitCode();
        });
        return cli;
    }
}
