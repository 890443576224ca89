package org.boomerang.cli;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.ErrorCode;
import org.boomerang.common.ErrorType;

/**
 * An error code the server sent: its stable name and its category, which decides the CLI's exit
 * code. An unknown category (a newer server) counts as {@link ErrorType#INTERNAL}.
 */
public record RemoteErrorCode(String name, ErrorType type) implements ErrorCode {
    public RemoteErrorCode {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    /** {@code category} null (a category this client does not know) counts as {@link ErrorType#INTERNAL}. */
    public static RemoteErrorCode of(String name, ErrorType category) {
        return new RemoteErrorCode(name == null || name.isBlank() ? "UNKNOWN" : name, category == null ? ErrorType.INTERNAL : category);
    }
}
