package org.boomerang.api.dto;

import java.util.List;
import org.boomerang.common.ErrorType;
import org.jspecify.annotations.Nullable;

/**
 * The body of every error response. {@code code} is the stable error code (scripts branch on it),
 * {@code category} the {@link ErrorType} that chose the HTTP status and the CLI
 * exit code, {@code hint} what to do next. For a refused operation on an object with a lifecycle,
 * {@code state} is the object's current state and {@code allowedActions} the operations it allows
 * now; otherwise {@code state} is null and {@code allowedActions} empty.
 */
public record ApiError(
        String code,
        ErrorType category,
        String message,
        String hint,
        @Nullable String state,
        List<String> allowedActions) {
    public ApiError {
        allowedActions = allowedActions == null ? List.of() : List.copyOf(allowedActions);
        hint = hint == null ? "" : hint;
    }
}
