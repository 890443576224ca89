package org.boomerang.common;

import static java.util.Objects.requireNonNull;

/**
 * An error with a stable {@link ErrorCode}, a message that says what went wrong, and a hint
 * that says what to do next (HikariCP's style of message). Thrown across every module; the
 * API and the CLI render it the same way.
 */
public class BoomerangException extends RuntimeException {
    private final ErrorCode code;
    private final String hint;

    public BoomerangException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    public BoomerangException(ErrorCode code, String message, String hint, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.hint = hint == null ? "" : hint;
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorType type() {
        return code.type();
    }

    /** What the operator should do next; empty when there is nothing more to say. */
    public String hint() {
        return hint;
    }

    /** One line for a terminal: {@code CODE: message (hint)}. */
    public String describe() {
        return code.name() + ": " + getMessage() + (hint.isEmpty() ? "" : " — " + hint);
    }
}
