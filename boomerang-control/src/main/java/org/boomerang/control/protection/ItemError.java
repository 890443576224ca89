package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

/** The last error an operation on the item ended with: code, message and what to do next. */
public record ItemError(String code, String message, String hint) {
    public ItemError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
    }
}
