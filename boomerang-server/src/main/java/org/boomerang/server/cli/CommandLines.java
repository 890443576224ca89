package org.boomerang.server.cli;

import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;
import picocli.CommandLine;

/**
 * Builds the picocli {@link CommandLine} with Boomerang's error rendering: a {@link BoomerangException}
 * prints {@code CODE: message — hint} on stderr and exits with its category's exit code; a usage error
 * exits 2 with picocli's message; anything else is a bug and exits 1 with the stack trace.
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
