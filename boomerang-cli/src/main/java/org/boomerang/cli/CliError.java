package org.boomerang.cli;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/** Stable error codes of the command line itself; errors from the server keep the server's code. */
public enum CliError implements ErrorCode {
    /** The server could not be reached (refused, timed out, unknown host). */
    CLI_SERVER_UNREACHABLE(ErrorType.EXTERNAL),
    /** The server answered something that is not the API's JSON (a proxy, another service). */
    CLI_BAD_RESPONSE(ErrorType.EXTERNAL),
    /** No token was given for a route that needs one. */
    CLI_NO_TOKEN(ErrorType.FORBIDDEN),
    /** A job the CLI waited for was cancelled. */
    CLI_JOB_CANCELLED(ErrorType.CONFLICT),
    /** The event stream of a job ended before the job did. */
    CLI_WATCH_INTERRUPTED(ErrorType.EXTERNAL);

    private final ErrorType type;

    CliError(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
