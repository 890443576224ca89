package org.boomerang.common;

/**
 * The category of an error. It alone decides the HTTP status of an API error, the exit code of the
 * command line and the heading the portal shows, so that scripts can branch on the category without
 * parsing text (Trino's {@code ErrorType}). This is the one mapping: every {@link ErrorCode} reaches
 * HTTP, the CLI and the portal through its {@link ErrorCode#type()}.
 */
public enum ErrorType {
    /** The request itself is wrong: bad argument, malformed payload, out-of-range offset. */
    USER_ERROR(400, 2, "Invalid request"),
    /** The caller lacks the right to do this. */
    FORBIDDEN(403, 3, "Not allowed"),
    /** The named object does not exist. */
    NOT_FOUND(404, 4, "Not found"),
    /** The request is valid but the object is not in a state that allows it (illegal transition, FB rule). */
    PRECONDITION(409, 5, "Not possible now"),
    /** Another request changed the object first; retry after re-reading it. */
    CONFLICT(409, 6, "Changed meanwhile: re-read and retry"),
    /** Stored data failed a check (checksum, identity stamp): nothing was applied. */
    CORRUPTION(500, 7, "Stored data failed a check"),
    /** A peer, a disk or a site provider failed; the operation can be retried. */
    EXTERNAL(502, 8, "A peer, a disk or a site failed"),
    /** A bug in Boomerang. */
    INTERNAL(500, 1, "Internal error (a bug)");

    private final int httpStatus;
    private final int exitCode;
    private final String title;

    ErrorType(int httpStatus, int exitCode, String title) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
        this.title = title;
    }

    /** The heading a person reads above the message (the portal, the CLI's table output). */
    public String title() {
        return title;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The process exit code of a command that failed with this category; never 0. */
    public int exitCode() {
        return exitCode;
    }
}
