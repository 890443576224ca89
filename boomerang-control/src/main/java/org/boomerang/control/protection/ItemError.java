package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import org.boomerang.common.BoomerangException;
import org.boomerang.common.ErrorType;

/**
 * The last error an operation on the item ended with: code, category, message and what to do next.
 *
 * @param category never null once read; an item stored before categories were persisted reads as
 *     {@link ErrorType#INTERNAL}
 */
public record ItemError(String code, ErrorType category, String message, String hint) {
    public ItemError {
        requireNonNull(code, "code is null");
        category = category == null ? ErrorType.INTERNAL : category;
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
    }

    public static ItemError of(BoomerangException e) {
        return new ItemError(e.code().name(), e.type(), e.getMessage(), e.hint());
    }
}
