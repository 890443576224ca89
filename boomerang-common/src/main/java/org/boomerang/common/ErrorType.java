package org.boomerang.common;

/**
 * The category of an error. It alone decides the HTTP status of an API error and the exit
 * code of the command line, so that scripts can branch on the category without parsing text
 * (Trino's {@code ErrorType}).
 */
public enum ErrorType {
    /** The request itself is wrong: bad argument, malformed payload, out-of-range offset. */
    USER_ERROR(400, 2),
    /** The caller lacks the right to do this. */
    FORBIDDEN(403, 3),
    /** The named object does not exist. */
    NOT_FOUND(404, 4),
    /** The request is valid but the object is not in a state that allows it (illegal transition, FB rule). */
    PRECONDITION(409, 5),
    /** Another request changed the object first; retry after re-reading it. */
    CONFLICT(409, 6),
    /** Stored data failed a check (checksum, identity stamp): nothing was applied. */
    CORRUPTION(500, 7),
    /** A peer, a disk or a site provider failed; the operation can be retried. */
    EXTERNAL(502, 8),
    /** A bug in Boomerang. */
    INTERNAL(500, 1);

    private final int httpStatus;
    private final int exitCode;

    ErrorType(int httpStatus, int exitCode) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The process exit code of a command that failed with this category; never 0. */
    public int exitCode() {
        return exitCode;
    }
}
